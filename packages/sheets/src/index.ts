export { backoffMs, type CellWrite, DEFAULT_RETRY, type RetryPolicy, readSheet, SheetsCallError, type SheetSnapshot, withRetry, writeCells } from "./api.ts";
export { type ColumnMap, columnMap, SHEET_COLUMNS, SHEET_STATUSES, type SheetColumn, SheetFormatError, type SheetRow, sheetRows, sheetStatusOf, statusOf } from "./columns.ts";
export {
  parseSheetConfig,
  SHEETS_SCOPE,
  type SheetConfig,
  SheetConfigError,
  type SheetConfigInput,
  SheetConfigSchema,
  sheetIdOf,
  sheetsClient,
} from "./config.ts";
export * from "./intake.ts";
export { recordSheetState, sheetTime } from "./mirror.ts";
export { customerNotes, NOTE_PREFIX, withNote } from "./notes.ts";
export { MAX_ORDER_TEXT, type ParsedOrderText, parseOrderText } from "./order-text.ts";
export { flushSheetMirror, type RowRef, type SyncReport, type SyncSheetDeps, syncSheet } from "./sync.ts";
export { e164Of, invalidNote, judgeRows, type RowVerdict } from "./validate.ts";
export { catchUpSheet, confirmationOrderRequestOf, sheetStateOf, unmatchedText } from "./state-machine.ts";
