import { Option } from '@commander-js/extra-typings';
import { globalOptions, noTimestampOption, type OptionsOf, type Parent, requiredOutOption } from '../options.js';

function declareReport(parent: Parent) {
  return parent
    .command('report')
    .description('evidence-chain report of a trace: Markdown, self-contained HTML with a flow diagram, JSON, CSV')
    .argument(
      '<traces...>',
      'a trace result (hoptrace trace … --out trace.json); more traces of the same seeds under other rules add "Sensitivity to the tracing rule"',
    )
    .addOption(new Option('--format <format>', 'report format (default: from the --out extension)').choices(['md', 'html', 'json', 'csv']))
    .addOption(requiredOutOption('--out <file>', 'output file'))
    .addOption(noTimestampOption('leave the date out (byte-identical reports)'))
    .option('--pdf <file>', 'also print the HTML report to PDF with headless Chromium (/usr/bin/chromium)')
    .addHelpText(
      'after',
      '\nNames (holders, tag labels) come from the case file: --db, else the one the trace records.\n\nExamples:\n  $ hoptrace --db case.db report trace-fifo.json --out report.html --no-timestamp\n  $ hoptrace report trace.json --format html --out report.html --pdf report.pdf\n  $ hoptrace report trace.json --format md --out report.md --no-timestamp\n  $ hoptrace report trace.json --out hops.csv\n  $ hoptrace report trace-fifo.json trace-libr.json --out report.md\n',
    );
}

export type ReportCliOptions = OptionsOf<typeof declareReport>;

export function reportCommand(parent: Parent): void {
  declareReport(parent).action(async (traceFiles, options, command) => {
    await (await import('../run/report.js')).runReport(globalOptions(command), traceFiles, options);
  });
}
