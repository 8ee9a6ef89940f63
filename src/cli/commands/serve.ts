import { globalOptions, type OptionsOf, type Parent } from '../options.js';

function declareServe(parent: Parent) {
  return parent
    .command('serve')
    .description('the workbench: the case in the browser (search, account panel, graph, trace) over a local JSON API')
    .option('--port <n>', 'TCP port (0: any free port)', '4317')
    .option('--host <addr>', 'address to listen on (loopback unless you say otherwise)', '127.0.0.1')
    .option('--open', 'open the page in the default browser', false)
    .option('--write', 'allow notes to be written into the case file', false)
    .addHelpText('after', '\nExamples:\n  $ hoptrace --db hoptrace-demo/case.db serve\n  $ hoptrace serve --port 8080 --write --open\n');
}

export type ServeCliOptions = OptionsOf<typeof declareServe>;

export function serveCommand(parent: Parent): void {
  declareServe(parent).action(async (options, command) => {
    await (await import('../run/serve.js')).runServe(globalOptions(command), options);
  });
}
