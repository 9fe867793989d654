// The app-wide state the screens share: language, status, session, screen.
import type { CardService, Lang, Progress, SessionView, StatusSnapshot } from './bindings';
import { tr, trDynamic, type WordKey } from './i18n';
import type { Screen } from './keys';

class AppState {
  lang = $state<Lang>('pl');
  status = $state<StatusSnapshot | null>(null);
  progress = $state<Progress | null>(null);
  cards = $state<CardService | null>(null);
  session = $state<SessionView | null>(null);
  locked = $state(false);
  screen = $state<Screen>('intake');
  /** Ticks every second so "x s ago" and countdowns move. */
  now = $state(Date.now());

  t = (key: WordKey): string => tr(this.lang, key);
  td = (key: string): string => trDynamic(this.lang, key);
}

export const app = new AppState();
