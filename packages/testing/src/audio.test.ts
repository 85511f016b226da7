import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeWav } from "@orderline/audio";
import { decodeALaw, encodeALaw, loadMuLawAudio, muLawRms, muLawToWav, silenceMuLaw, speechMuLaw, speechPcm16, wavToMuLaw } from "./audio.ts";

test("speech-like audio keeps every 20 ms frame well above silence; silence is digital zero", () => {
  const speech = speechMuLaw(2000);
  assert.equal(speech.length, 16000);
  for (let i = 0; i < speech.length; i += 160) assert.ok(muLawRms(speech.subarray(i, i + 160)) > 0.04, `frame ${i / 160} is loud enough for VAD`);
  assert.equal(muLawRms(silenceMuLaw(100)), 0);
  assert.deepEqual(speechMuLaw(100), speechMuLaw(100), "deterministic");
  assert.throws(() => speechMuLaw(-1), /non-negative/);
});

test("WAV: mu-law round trip, PCM16 16 kHz resampled to 8 kHz, headerless .ulaw, clear errors", async () => {
  const speech = speechMuLaw(500);
  assert.deepEqual(wavToMuLaw(muLawToWav(speech)), speech);
  const pcm16k = writeWav({ encoding: "pcm16", sampleRate: 16000, samples: speechPcm16(500, 16000) });
  const converted = wavToMuLaw(pcm16k);
  assert.equal(converted.length, 4000, "500 ms at 8 kHz");
  assert.ok(muLawRms(converted) > 0.04);
  const dir = await mkdtemp(join(tmpdir(), "testing-audio-"));
  try {
    await writeFile(join(dir, "a.ulaw"), speech);
    await writeFile(join(dir, "a.wav"), muLawToWav(speech));
    await writeFile(join(dir, "a.txt"), "hello");
    assert.deepEqual(await loadMuLawAudio(join(dir, "a.ulaw")), speech);
    assert.deepEqual(await loadMuLawAudio(join(dir, "a.wav")), speech);
    await assert.rejects(loadMuLawAudio(join(dir, "a.txt")), /neither a RIFF\/WAVE file nor a headerless/);
  } finally {
    await rm(dir, { recursive: true });
  }
  assert.throws(() => wavToMuLaw(Buffer.from("RIFF0000WAVEjunk"), "x.wav"), /x\.wav:/);
});

test("A-law encode/decode stays within G.711 quantisation error", () => {
  const pcm = speechPcm16(100, 8000);
  const back = decodeALaw(encodeALaw(pcm));
  for (let i = 0; i < pcm.length; i++) assert.ok(Math.abs(back[i]! - pcm[i]!) <= Math.max(16, Math.abs(pcm[i]!) / 16), `sample ${i}: ${pcm[i]} → ${back[i]}`);
});
