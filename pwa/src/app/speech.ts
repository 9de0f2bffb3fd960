/**
 * Reading a section aloud with the phone's own speech engine, in Vietnamese only: with no Vietnamese
 * voice installed the button is not shown at all (an English voice reading Vietnamese is worse than
 * nothing). Long text is spoken in short pieces, because some engines stop a long utterance midway.
 */
import { signal } from '@preact/signals';

/** True once a Vietnamese voice is known to exist on this phone. */
export const canReadAloud = signal(false);
export const reading = signal(false);

const MAX_PIECE = 220;

interface VoiceLike {
  readonly lang: string;
  readonly localService?: boolean;
}

/** The Vietnamese voice to use (vi-VN, vi_VN or vi), preferring one that works offline; or null. */
export function pickVietnameseVoice<V extends VoiceLike>(voices: readonly V[]): V | null {
  const vietnamese = voices.filter((voice) => /^vi([-_]|$)/i.test(voice.lang));
  return vietnamese.find((voice) => voice.localService) ?? vietnamese[0] ?? null;
}

/** Text in pieces a speech engine says in one go: by line, then by sentence, then by words. */
export function piecesToSpeak(text: string, max = MAX_PIECE): string[] {
  const pieces: string[] = [];
  for (const line of text.split(/\n+/)) {
    const sentences = line.trim().match(/[^.!?;:…]+[.!?;:…]*\s*/g) ?? [];
    let current = '';
    const flush = (): void => {
      if (current.trim()) pieces.push(current.trim());
      current = '';
    };
    for (const sentence of sentences) {
      if (current.length + sentence.length <= max) {
        current += sentence;
        continue;
      }
      flush();
      if (sentence.length <= max) {
        current = sentence;
        continue;
      }
      for (const word of sentence.split(/\s+/)) {
        if (current.length + word.length + 1 > max) flush();
        current += `${word} `;
      }
    }
    flush();
  }
  return pieces;
}

let voice: SpeechSynthesisVoice | null = null;
/** Which reading is current: events of a cancelled one arrive late and must not touch `reading`. */
let currentRun = 0;

function lookForVoice(): void {
  voice = pickVietnameseVoice(window.speechSynthesis.getVoices());
  canReadAloud.value = voice !== null;
}

/** Find out whether this phone can read Vietnamese aloud (voices often load a moment later). */
export function initSpeech(): void {
  if (typeof window === 'undefined' || !('speechSynthesis' in window) || typeof SpeechSynthesisUtterance === 'undefined') return;
  lookForVoice();
  window.speechSynthesis.addEventListener?.('voiceschanged', lookForVoice);
}

export function stopReading(): void {
  if (!reading.value) return;
  currentRun += 1;
  reading.value = false;
  window.speechSynthesis.cancel();
}

/** Read `text` aloud from the start, stopping anything being read. */
export function readAloud(text: string): void {
  if (!voice) return;
  window.speechSynthesis.cancel();
  const pieces = piecesToSpeak(text);
  if (pieces.length === 0) return;
  const run = ++currentRun;
  const finished = (): void => {
    if (run === currentRun) reading.value = false;
  };
  reading.value = true;
  pieces.forEach((piece, index) => {
    const utterance = new SpeechSynthesisUtterance(piece);
    utterance.voice = voice;
    utterance.lang = voice?.lang ?? 'vi-VN';
    utterance.rate = 0.95; // a little slower than the default: many listeners are older
    if (index === pieces.length - 1) utterance.onend = finished;
    utterance.onerror = finished;
    window.speechSynthesis.speak(utterance);
  });
}
