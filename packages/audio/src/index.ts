export {
  decodeMuLaw,
  decodeMuLawSample,
  encodeMuLaw,
  encodeMuLawSample,
  MULAW_SILENCE,
} from "./mulaw.ts";
export { bytesLEToPcm16, pcm16ToBytesLE } from "./pcm-bytes.ts";
export {
  createDownsampleState,
  createUpsampleState,
  type DownsampleState,
  downsample24kTo8k,
  downsampledLength,
  RESAMPLE_DELAY_24K,
  RESAMPLE_FILTER_TAPS,
  resampleFilterCoefficients,
  type UpsampleState,
  upsample8kTo24k,
} from "./resample.ts";
export {
  createRealtimeToTwilioState,
  createTwilioToRealtimeState,
  type RealtimeToTwilioState,
  realtimePcmToTwilio,
  type TwilioToRealtimeState,
  twilioToRealtimePcm,
} from "./convert.ts";
export {
  generateSpeechLike,
  generateTone,
  rmsDbfs,
  type SpeechLikeOptions,
  silence,
  type ToneOptions,
  seededRandom,
} from "./signals.ts";
export { readWav, type WavAudio, WavFormatError, writeWav } from "./wav.ts";
