// One typed function per Tauri command; the types come from the generated
// bindings, so a change on the Rust side breaks the build here.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { app } from './state.svelte';
import type {
  ApplicationDraft,
  ApplicationSummary,
  ApplicationView,
  BiometricDevices,
  BiometricsDraft,
  CardService,
  CropFrame,
  ChipCheckView,
  DaySummary,
  Decision,
  DecisionInput,
  DocumentRef,
  DocumentView,
  DraftKind,
  DraftSave,
  DraftView,
  DraftCheck,
  FingerCaptureView,
  FingerExceptionConfirm,
  FingerPosition,
  HandoverOutcome,
  HandoverRequest,
  HandoverSaved,
  IpcError,
  LocalDocument,
  OutboxView,
  Policy,
  Printout,
  Progress,
  ScanView,
  ScannedPhoto,
  ScannerDevice,
  SessionView,
  StatusSnapshot,
  StrokePoint,
  Submitted,
  SupervisorConfirmation,
} from './bindings';
import type { PreviewEvent } from './bindings';

/** Every command rejects with an IpcError; anything else becomes one. */
export function asIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return e as IpcError;
  const text = String(e);
  return { code: 'internal', message: { pl: text, en: text }, fields: [] };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    const err = asIpcError(e);
    if (err.code === 'auth.locked') app.locked = true;
    if (err.code === 'auth.required') app.session = null;
    throw err;
  }
}

/** Work to finish before the session is locked or closed (a form's draft
 *  still waiting for its debounce): `lock` and `logout` await it first. */
const leaving = new Set<(why: 'lock' | 'logout') => Promise<void>>();
export function beforeLeave(f: (why: 'lock' | 'logout') => Promise<void>): () => void {
  leaving.add(f);
  return () => leaving.delete(f);
}
async function leave(why: 'lock' | 'logout'): Promise<void> {
  await Promise.allSettled([...leaving].map((f) => f(why)));
}

export const api = {
  login: (clerkId: string, password: string) => call<SessionView>('login', { clerkId, password }),
  logout: () => leave('logout').then(() => call<void>('logout')),
  lock: () => leave('lock').then(() => call<void>('lock')),
  unlock: (password: string) => call<SessionView>('unlock', { password }),
  cardLogin: (pin: string) => call<SessionView>('card_login', { pin }),
  bindCard: (password: string, pin: string) => call<string>('bind_card', { password, pin }),
  touch: () => call<void>('touch'),
  status: () => call<StatusSnapshot>('status'),
  policy: () => call<Policy>('policy'),
  appReady: () => call<void>('app_ready'),
  /** Why the counter could not start (the window then says only that). */
  startFailure: () => call<IpcError | null>('start_failure'),
  checkApplication: (draft: ApplicationDraft, photoBase64: string | null, biometrics: BiometricsDraft | null = null) =>
    call<DraftCheck>('check_application', { draft, photoBase64, biometrics }),
  submitApplication: (draft: ApplicationDraft, photoBase64: string | null, biometrics: BiometricsDraft | null = null) =>
    call<Submitted>('submit_application', { draft, photoBase64, biometrics }),
  draftSave: (draft: DraftSave) => call<string>('draft_save', { draft }),
  draftLoad: (kind: DraftKind) => call<DraftView | null>('draft_load', { kind }),
  draftDiscard: (kind: DraftKind) => call<boolean>('draft_discard', { kind }),
  searchApplications: (query: string) => call<ApplicationSummary[]>('search_applications', { query }),
  application: (number: string) => call<ApplicationView>('application', { number }),
  findDocument: (code: string) => call<DocumentView>('find_document', { code }),
  readyDocuments: () => call<LocalDocument[]>('ready_documents'),
  recordHandover: (request: HandoverRequest) => call<HandoverSaved>('record_handover', { request }),
  handoverOutcome: (journalId: string) => call<HandoverOutcome>('handover_outcome', { journalId }),
  checkChip: (documentNumber: string, reader: string | null = null) =>
    call<ChipCheckView>('check_chip', { documentNumber, reader }),
  outbox: () => call<OutboxView>('outbox'),
  syncNow: () => call<void>('sync_now'),
  decide: (input: DecisionInput) => call<Decision>('decide', { input }),
  approveIntakeOverride: (supervisorId: string, password: string, hours: number) =>
    call<string>('approve_intake_override', { supervisorId, password, hours }),
  daySummary: (date: string | null) => call<DaySummary>('day_summary', { date }),
  printout: (doc: DocumentRef, print: boolean) => call<Printout>('printout', { doc, print }),
  cards: () => call<CardService>('cards'),
  demoCutRegister: () => call<void>('demo_cut_register'),
  demoRestoreRegister: () => call<void>('demo_restore_register'),
  scanners: () => call<ScannerDevice[]>('scanners'),
  scan: (device: string) => call<ScanView>('scan', { device }),
  cropScan: (frame: CropFrame) => call<ScannedPhoto>('crop_scan', { frame }),
  renderSignature: (width: number, height: number, strokes: StrokePoint[][]) =>
    call<string>('render_signature', { width, height, strokes }),
  biometricDevices: () => call<BiometricDevices>('biometric_devices'),
  captureFinger: (finger: FingerPosition, port: number | null = null) =>
    call<FingerCaptureView>('capture_finger', { finger, port }),
  biometricPreviewStart: (finger: FingerPosition, port: number | null = null) =>
    call<void>('biometric_preview_start', { finger, port }),
  biometricPreviewStop: () => call<void>('biometric_preview_stop'),
  /** The supervisor confirms, with their password, a finger temporarily
   *  impossible to take; the sealed confirmation for the exception. */
  confirmFingerException: (input: FingerExceptionConfirm) =>
    call<SupervisorConfirmation>('confirm_finger_exception', { input }),
};

export function onStatus(f: (s: StatusSnapshot) => void): Promise<UnlistenFn> {
  return listen<StatusSnapshot>('status', (e) => f(e.payload));
}

export function onSyncProgress(f: (p: Progress) => void): Promise<UnlistenFn> {
  return listen<Progress>('sync-progress', (e) => f(e.payload));
}

export function onBiometrics(f: (d: BiometricDevices) => void): Promise<UnlistenFn> {
  return listen<BiometricDevices>('biometrics', (e) => f(e.payload));
}

export function onBiometricPreview(f: (e: PreviewEvent) => void): Promise<UnlistenFn> {
  return listen<PreviewEvent>('biometric_preview', (e) => f(e.payload));
}

export function onCards(f: (c: CardService) => void): Promise<UnlistenFn> {
  return listen<CardService>('cards', (e) => f(e.payload));
}
