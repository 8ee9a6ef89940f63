import { Option } from '@commander-js/extra-typings';
import { globalOptions, type OptionsOf, type Parent, quietOption, skipBadOption } from '../options.js';

function declareIngestBank(parent: Parent) {
  return parent
    .command('bank')
    .description("bank statements: any bank's CSV export through a profile, camt.052/053/054 XML, MT940/MT942")
    .argument('<files...>', 'statement files')
    .option('--profile <name|file>', 'built-in profile name, a profile JSON file, camt, mt940[-cp1250|-cp852|-cp1252], or auto', 'auto')
    .option('--account <ident>', "the statement's own account when the file does not say it: IBAN or BANKCODE:NUMBER")
    .option('--sheet <name|n>', "XLSX statements: the sheet to read (default: the first with the profile's header)")
    .addOption(skipBadOption())
    .addOption(
      new Option('--balance <mode>', 'a running-balance break: error (fail the file) or gaps (store every line, record the gap; shown by info)')
        .choices(['error', 'gaps'])
        .default('error'),
    )
    .addOption(quietOption('no progress or per-file lines'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace ingest bank samples/bank/mule-daan-visser.csv --profile generic --account NL36INGB0007654321\n  $ hoptrace ingest bank test/fixtures/ofxstatement-austrian/ing-diba.csv --profile ing-diba-at\n  $ hoptrace ingest bank test/fixtures/camt-genkgo/camt053.v2.minimal.xml test/fixtures/mt940-wolph/jejik/ing.sta --skip-bad --balance gaps\n  $ hoptrace ingest bank test/fixtures/santander-es-xlsx/sample-statement.xlsx --account ES9121000418450200051332\n  $ hoptrace ingest bank test/fixtures/bank2ynab-samples/ie_bank_of_ireland_test_BOI_TransactionExport.csv --profile boi-ie --account IE29AIBK93115212345678 --balance gaps\n  $ hoptrace profiles\n',
    );
}

export type IngestBankCliOptions = OptionsOf<typeof declareIngestBank>;

export function ingestBankCommand(parent: Parent): void {
  declareIngestBank(parent).action(async (files, options, command) => {
    await (await import('../run/ingestBank.js')).runIngestBank(globalOptions(command), files, options);
  });
}
