// The option parsers moved to src/model/optionText.ts, which the workbench's API shares.
export { parsePositiveInteger, parseTime, TIME_OPTION_BOUNDS, type TimeOption } from '../model/optionText.js';
