import { noTimestampOption, type OptionsOf, outOption, type Parent } from '../options.js';

function declareDemo(parent: Parent) {
  return parent
    .command('demo')
    .description('build the demo case from samples/, trace it under FIFO and LIBR, and write reports into ./hoptrace-demo')
    .addOption(outOption('--out <dir>', 'output folder: new, empty, or made by an earlier demo (only its files are replaced)').default('hoptrace-demo'))
    .addOption(noTimestampOption('leave the date out of reports (byte-identical runs)'))
    .addHelpText('after', '\nExamples:\n  $ hoptrace demo\n  $ hoptrace demo --out golden-lotus --no-timestamp\n');
}

export type DemoCliOptions = OptionsOf<typeof declareDemo>;

export function demoCommand(parent: Parent): void {
  declareDemo(parent).action(async (options) => {
    await (await import('../run/demo.js')).runDemoCommand(options);
  });
}
