// The option parsers moved to src/model/optionText.ts, which the workbench's API shares.
export { parsePositiveInteger, parseTime, TIME_OPTION_BOUNDS } from '../model/optionText.js';
