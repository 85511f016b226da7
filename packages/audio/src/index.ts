export {
  decodeMuLaw,
  decodeMuLawSample,
  encodeMuLaw,
  encodeMuLawSample,
  MULAW_SILENCE,
} from "./mulaw.ts";
