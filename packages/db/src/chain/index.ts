export { ChainFile, type ChainItem, type ChainLocation } from "./chain-file.ts";
export { buildChainRows, type ChainRows } from "./chain-rows.ts";
export { slugify } from "./fields.ts";
export { ChainFileError, type ImportSummary, importChain, parseChainFile, readChainFile } from "./import-chain.ts";
