import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareDetect(parent: Parent) {
  return parent
    .command('detect')
    .description(
      'flag laundering shapes: pass-through mules, victim-offender overlap, fan-in, fan-out, cycles, peel chains, sweeps, structuring, address poisoning, inducement payments (docs/detection.md)',
    )
    .option(
      '--typologies <list>',
      'comma-separated',
      'pass-through,victim-offender-overlap,fan-in,fan-out,cycle,peel-chain,sweep,structuring,address-poisoning,inducement',
    )
    .option('--window <duration>', 'window for every typology (7d, 48h, 90m)', '7d')
    .option('--min-amount <x>', 'ignore transfers smaller than this (main asset units)')
    .option('--fan-k <n>', 'fan-in/out: distinct counterparties', '5')
    .option('--cycle-max-hops <n>', 'cycle: longest round trip', '6')
    .option('--structuring-threshold <x>', 'structuring: the reporting threshold payments stay under', '10000')
    .option('--dust-floor <asset=amount...>', 'transfers below this are dust, read only by address-poisoning (defaults USDT=1 USDC=1 TRX=1 ETH=0.0001)')
    .option('--victims <ident...>', 'accounts known to be victims (besides those tagged victim and payers into tagged mules): never mule findings')
    .option(
      '--seeds <seed...>',
      "victim payments (as for trace): their senders are victims, and a FIFO trace from them finds victims passing other victims' money on",
    )
    .addOption(jsonOption('print JSON: [{typology, accounts, params, evidence, score}]'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace detect --typologies cycle,fan-in --window 30d --json\n  $ hoptrace detect --typologies pass-through,victim-offender-overlap --window 14d --victims DE68500105174417320965\n  $ hoptrace detect --typologies victim-offender-overlap --seeds account:DE68500105174417320965\n  $ hoptrace detect --typologies address-poisoning --dust-floor USDT=0.1\n',
    );
}

export type DetectCliOptions = OptionsOf<typeof declareDetect>;

export function detectCommand(parent: Parent): void {
  declareDetect(parent).action(async (options, command) => {
    await (await import('../run/detect.js')).runDetect(globalOptions(command), options);
  });
}
