// Announces calls on the display board: a chime, then the call spoken through the
// browser's speech synthesis where it exists. Calls wait in a queue and are announced one
// after the other; an announcement is never cut short by the next one (nothing here ever
// calls speechSynthesis.cancel()).

const chimeNotes = [
  { frequency: 880, start: 0, length: 0.45 },
  { frequency: 659.25, start: 0.42, length: 0.6 },
];
const chimeMs = 1100;
const pauseBetweenMs = 500;

function delay(ms) {
  return new Promise((resolve) => window.setTimeout(resolve, ms));
}

export class Announcer {
  #queue = [];
  #running = false;
  #audio = null;
  #enabled = false;

  get enabled() {
    return this.#enabled;
  }

  /** Switches sound on; must run inside a user gesture (a click), as browsers require. */
  async enable() {
    // Speech does not depend on the chime: announcements start even if the audio device
    // is slow to wake (or never does).
    this.#enabled = true;
    const AudioContextType = window.AudioContext ?? window.webkitAudioContext;
    if (AudioContextType) {
      try {
        this.#audio = new AudioContextType();
        await Promise.race([this.#audio.resume(), delay(1000)]);
      } catch {
        this.#audio = null;
      }
    }
  }

  /** Queues a spoken announcement such as "A012, window 3". */
  announce(text) {
    if (!this.#enabled) {
      return;
    }
    this.#queue.push(text);
    if (!this.#running) {
      this.#run();
    }
  }

  async #run() {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const text = this.#queue.shift();
        await this.#chime();
        await this.#speak(text);
        await delay(pauseBetweenMs);
      }
    } finally {
      this.#running = false;
    }
  }

  async #chime() {
    const audio = this.#audio;
    if (!audio) {
      return;
    }
    const now = audio.currentTime;
    for (const note of chimeNotes) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = note.frequency;
      gain.gain.setValueAtTime(0.0001, now + note.start);
      gain.gain.exponentialRampToValueAtTime(0.4, now + note.start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + note.start + note.length);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(now + note.start);
      oscillator.stop(now + note.start + note.length + 0.05);
    }
    await delay(chimeMs);
  }

  #speak(text) {
    const speech = window.speechSynthesis;
    if (!speech || typeof window.SpeechSynthesisUtterance !== 'function') {
      return delay(1500);
    }
    return new Promise((resolve) => {
      const utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = document.documentElement.lang || 'en';
      utterance.rate = 0.9;
      let settled = false;
      // Some engines never fire "end" (no voice installed, engine crash). Move on after a
      // generous bound so the queue cannot stall; the utterance itself is left to finish.
      const bound = window.setTimeout(() => finish(), 10_000 + text.length * 400);
      function finish() {
        if (!settled) {
          settled = true;
          window.clearTimeout(bound);
          resolve();
        }
      }
      utterance.addEventListener('end', finish);
      utterance.addEventListener('error', finish);
      speech.speak(utterance);
    });
  }
}
