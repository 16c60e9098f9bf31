// The runner's errors become report data the way every layer's do: one conversion, in the
// result model, so the state diff (a layer below) writes them the same.
export { toErrorInfo } from '../result/error-info.js';
