// The screens' own words in Polish (the default) and English. Messages
// about data come from Rust in both languages already. The words for every
// code, state, decision, reason and kind come from the one table the
// printouts use too (crates/counter-core/words.json): no raw code reaches
// a person, and a screen and a printout say the same thing.
import type {
  ApplicationStatus,
  DecisionOutcome,
  DocumentState,
  InvalidationReason,
  Lang,
  SyncState,
} from './bindings';
import table from '../../../crates/counter-core/words.json';
import { pluralPl } from './format';

const words = {
  app_title: ['Stanowisko paszportowe', 'Passport counter'],
  login_title: ['Logowanie', 'Log in'],
  clerk_id: ['Identyfikator urzędnika', 'Clerk id'],
  password: ['Hasło', 'Password'],
  log_in: ['Zaloguj', 'Log in'],
  log_out: ['Wyloguj', 'Log out'],
  demo_accounts: ['Konta demonstracyjne', 'Demo accounts'],
  locked_title: ['Stanowisko zablokowane', 'Counter locked'],
  locked_text: ['Podaj hasło albo PIN swojej karty, aby wrócić do pracy. Nic nie zostało utracone.', 'Enter your password or your card\'s PIN to go on. Nothing was lost.'],
  unlock: ['Odblokuj', 'Unlock'],
  lock: ['Zablokuj (Alt+K)', 'Lock (Alt+K)'],
  screen_intake: ['Nowy wniosek', 'New application'],
  screen_applications: ['Wnioski', 'Applications'],
  screen_handover: ['Wydanie', 'Hand-over'],
  screen_outbox: ['Wysyłka', 'Outbox'],
  screen_supervisor: ['Kierownik', 'Supervisor'],
  conn_online: ['Rejestr: połączono', 'Register: online'],
  conn_degraded: ['Rejestr: zakłócenia', 'Register: degraded'],
  conn_offline: ['Rejestr: brak połączenia', 'Register: offline'],
  conn_connecting: ['Rejestr: łączenie…', 'Register: connecting…'],
  last_success: ['ostatni udany kontakt', 'last successful contact'],
  no_success_yet: ['jeszcze bez udanego kontaktu', 'no successful contact yet'],
  notices_title: ['Odmowy rejestru czekające na decyzję kierownika', 'Register refusals waiting for a supervisor\'s decision'],
  notices_decide: ['Przejdź do decyzji kierownika', 'Go to the supervisor\'s decisions'],
  notices_call_supervisor: ['Wezwij kierownika: odmowa zniknie dopiero po jego decyzji.', 'Call the supervisor: a refusal goes away only with their decision.'],
  notices_close: ['Zamknij', 'Close'],
  nav_screens: ['Ekrany', 'Screens'],
  notice_application: ['Wniosek', 'Application'],
  notice_handover: ['Wydanie', 'Hand-over'],
  notice_invalidation: ['Unieważnienie', 'Invalidation'],
  notice_other: ['Zapis', 'Record'],
  queue: ['W kolejce', 'Queued'],
  oldest: ['najstarsza', 'oldest'],
  intake_left: ['Limit pracy bez połączenia', 'Offline cap'],
  intake_stops_in: ['wstrzymanie za', 'stops in'],
  intake_stopped: ['Przyjmowanie wstrzymane', 'Intake stopped'],
  offline_banner: [
    'Rejestr centralny jest niedostępny. Pracujesz normalnie: każda operacja jest zapisana na tym stanowisku i zostanie wysłana automatycznie po przywróceniu połączenia.',
    'The central register is unreachable. Carry on as usual: every action is saved at this counter and will be sent automatically when the connection returns.',
  ],
  offline_since: ['Bez połączenia od', 'Offline since'],
  demo_menu: ['Demo', 'Demo'],
  demo_cut: ['Odetnij rejestr (Alt+Shift+O)', 'Cut the register (Alt+Shift+O)'],
  demo_restore: ['Przywróć rejestr (Alt+Shift+R)', 'Restore the register (Alt+Shift+R)'],
  demo_badge: ['TRYB DEMONSTRACYJNY', 'DEMO MODE'],
  language: ['English (Alt+L)', 'Polski (Alt+L)'],
  kind: ['Rodzaj wniosku', 'Kind of application'],
  urgent_reason: ['Uzasadnienie pilnej potrzeby', 'Why it is urgent'],
  validity_days: ['Ważność (dni, najwyżej 365)', 'Validity (days, at most 365)'],
  second_justification: ['Uzasadnienie wydania drugiego paszportu', 'Why a second passport'],
  existing_passport: ['Posiadany paszport', 'Passport held'],
  previous_passport: ['Dotychczasowy paszport (do unieważnienia)', 'Previous passport (to invalidate)'],
  applicant: ['Wnioskodawca', 'Applicant'],
  pesel: ['PESEL', 'PESEL'],
  surname: ['Nazwisko', 'Surname'],
  given_names: ['Imiona', 'Given names'],
  birth_date: ['Data urodzenia', 'Date of birth'],
  birth_place: ['Miejsce urodzenia', 'Place of birth'],
  sex: ['Płeć', 'Sex'],
  sex_f: ['Kobieta', 'Female'],
  sex_m: ['Mężczyzna', 'Male'],
  citizenship: ['Obywatelstwo', 'Citizenship'],
  address: ['Adres', 'Address'],
  street: ['Ulica', 'Street'],
  building: ['Nr domu', 'Building'],
  flat: ['Nr lokalu', 'Flat'],
  postal_code: ['Kod pocztowy', 'Postal code'],
  city: ['Miejscowość', 'City'],
  contact: ['Kontakt', 'Contact'],
  phone: ['Telefon', 'Phone'],
  email: ['E-mail', 'E-mail'],
  photo: ['Zdjęcie', 'Photo'],
  photo_choose: ['Wybierz plik zdjęcia', 'Choose the photo file'],
  photo_demo: ['Użyj zdjęcia demonstracyjnego', 'Use the demo photo'],
  photo_pick: ['Wybierz zdjęcie… (Alt+Z)', 'Choose photo… (Alt+Z)'],
  photo_none: ['nie wybrano pliku', 'no file chosen'],
  photo_demo_key: ['Użyj zdjęcia demonstracyjnego (Alt+D)', 'Use the demo photo (Alt+D)'],
  signature_title: ['Podpis wnioskodawcy', 'The applicant\'s signature'],
  signature_not_required: ['niewymagany w tym wieku', 'not required at this age'],
  signature_pad: ['Pole podpisu: wnioskodawca podpisuje się piórem na podkładce', 'Signature pad: the applicant signs with the pen on the pad'],
  signature_hint: ['Wnioskodawca podpisuje się piórem na podkładce.', 'The applicant signs with the pen on the pad.'],
  signature_full: ['Podpis ma już najwięcej dopuszczalnych punktów.', 'The signature already has the most points allowed.'],
  signature_clear: ['Wyczyść', 'Clear'],
  signature_accept: ['Zatwierdź podpis', 'Accept the signature'],
  signature_kept: ['Podpis, jak zostanie zapisany', 'The signature as it will be kept'],
  signature_again: ['Podpisz ponownie', 'Sign again'],
  cannot_sign: ['Wnioskodawca nie może się podpisać', 'The applicant cannot sign'],
  cannot_sign_reason: ['Powód', 'Reason'],
  cannot_sign_other: ['inny powód…', 'another reason…'],
  cannot_sign_other_text: ['Inny powód (po polsku)', 'Another reason (in Polish)'],
  scanner: ['Skaner', 'Scanner'],
  photo_scanned_name: ['zdjęcie ze skanera', 'photo from the scanner'],
  scan_photo: ['Zeskanuj zdjęcie (Alt+S)', 'Scan the photo (Alt+S)'],
  scan_again: ['Zeskanuj ponownie (Alt+S)', 'Scan again (Alt+S)'],
  scanner_looking: ['Szukanie skanera…', 'Looking for the scanner…'],
  scanner_scanning: ['Skanowanie…', 'Scanning…'],
  scanner_none: ['Nie znaleziono skanera — sprawdź, czy jest włączony i podłączony; zdjęcie można też wczytać z pliku.', 'No scanner found — check that it is on and connected; the photo can also be taken from a file.'],
  scan_frame: ['Kadr zdjęcia 35 × 45 mm', 'The 35 × 45 mm photo frame'],
  scan_frame_width: ['szerokość', 'width'],
  scan_frame_help: ['Strzałki przesuwają kadr o 1 mm (z Shift o 5 mm), + i − zmieniają jego rozmiar, Enter pobiera zdjęcie.', 'Arrows move the frame by 1 mm (5 mm with Shift), + and − resize it, Enter takes the photo.'],
  scan_take: ['Pobierz zdjęcie z kadru (Enter)', 'Take the photo in the frame (Enter)'],
  biometrics_title: ['Odciski palców i podpis', 'Fingerprints and signature'],
  biometrics_title_fingers: ['Odciski palców', 'Fingerprints'],
  biometrics_title_signature: ['Podpis', 'Signature'],
  biometrics_under_12: ['Wnioskodawca ma mniej niż 12 lat: odcisków palców się nie pobiera.', 'The applicant is under 12: no fingerprints are taken.'],
  biometrics_none: ['Odcisków palców ani podpisu nie pobiera się w tym wniosku.', 'No fingerprints or signature are taken for this application.'],
  fingerprints_title: ['Odciski palców', 'Fingerprints'],
  fp_device: ['Czytnik linii papilarnych', 'Fingerprint scanner'],
  fp_status: ['Czytnik odcisków', 'Fingerprint reader'],
  fp_no_device: ['nie znaleziono', 'not found'],
  fp_state_ready: ['gotowy', 'ready'],
  fp_state_busy: ['zajęty', 'busy'],
  fp_state_not_ready: ['niegotowy', 'not ready'],
  fp_state_untrusted: ['niezaufany (podpis urządzenia nie jest ważny)', 'untrusted (the device\'s signature is not valid)'],
  fp_state_gone: ['odłączony', 'unplugged'],
  hand_left: ['Lewa ręka', 'Left hand'],
  hand_right: ['Prawa ręka', 'Right hand'],
  fp_place: ['Połóż na czytniku:', 'Place on the scanner:'],
  fp_all_excepted: ['Wszystkie palce tej ręki mają wyjątek.', 'Every finger of this hand has an exception.'],
  fp_capture: ['Pobierz odcisk (Spacja)', 'Capture (Space)'],
  fp_retake: ['Pobierz ponownie (R)', 'Retake (R)'],
  fp_capturing: ['Pobieranie…', 'Capturing…'],
  fp_preview: ['Podgląd na żywo', 'Live preview'],
  fp_preview_alt: ['Podgląd palca na czytniku', 'Preview of the finger on the scanner'],
  fp_preview_none: ['Ten czytnik nie pokazuje podglądu: odcisk pojawi się po pobraniu.', 'This scanner offers no preview: the fingerprint shows after the capture.'],
  quality: ['jakość', 'quality'],
  quality_threshold: ['próg', 'threshold'],
  fp_retake_offered: ['Jakość poniżej progu: pobierz ponownie (R) albo zapisz wyjątek (E).', 'Quality below the threshold: retake (R) or record an exception (E).'],
  fp_no_retakes: ['Wykorzystano wszystkie ponowne pobrania, a najlepszy odcisk nie osiąga progu jakości: zapisz wyjątek (E).', 'All retakes are used and the best capture does not reach the quality threshold: record an exception (E).'],
  fp_retakes_used: ['Wykorzystano wszystkie ponowne pobrania: zostaje najlepszy odcisk.', 'All retakes are used: the best capture is kept.'],
  fp_threshold: ['Próg jakości', 'Quality threshold'],
  fp_supervisor: ['Kierownik potwierdzający', 'Confirming supervisor'],
  fp_reason_missing: ['brak palca', 'finger missing'],
  fp_reason_temporarily_impossible: ['czasowo niemożliwy do pobrania', 'temporarily impossible to take'],
  fp_exception_for: ['Wyjątek:', 'Exception:'],
  fp_exception_save: ['Zapisz wyjątek', 'Record the exception'],
  fp_supervisor_password: ['Hasło kierownika', "Supervisor's password"],
  fp_exception_confirm: ['Kierownik potwierdza (Enter)', 'Supervisor confirms (Enter)'],
  fp_confirmed_by: ['potwierdzenie kierownika', 'confirmed by supervisor'],
  fp_confirmed_at: ['godz.', 'at'],
  fp_confirmed_other_pesel: ['potwierdzone dla innego numeru PESEL: zapisz wyjątek ponownie', 'confirmed for another PESEL: record the exception again'],
  fp_not_confirmed: ['brak potwierdzenia kierownika: zapisz wyjątek ponownie', 'not confirmed by a supervisor: record the exception again'],
  fp_keys: ['Spacja pobiera odcisk, R pobiera ponownie, E zapisuje wyjątek z powodem.', 'Space captures, R retakes, E records an exception with its reason.'],
  draft_offer_title: ['Niedokończony wniosek', 'Unfinished application'],
  draft_offer_text: ['Zachowano niedokończony wniosek z', 'An unfinished application was kept at'],
  draft_offer_photo: ['ze zdjęciem', 'with its photo'],
  draft_offer_no_photo: ['bez zdjęcia', 'without a photo'],
  draft_offer_unnamed: ['(bez nazwiska)', '(no surname yet)'],
  draft_restore: ['Przywróć (Enter)', 'Restore (Enter)'],
  draft_discard: ['Odrzuć i zacznij od nowa', 'Discard and start again'],
  draft_not_kept: ['Formularz nie jest teraz zachowywany na stanowisku:', 'The form is not being kept at this counter right now:'],
  start_failed_title: ['Stanowisko nie może się uruchomić', 'The counter cannot start'],
  start_failed_help: ['Zgłoś to informatykowi urzędu. Ten komunikat jest też w dzienniku programu (counterctl logs).', 'Tell the office\'s IT. This message is also in the program\'s log (counterctl logs).'],
  draft_unreadable_title: ['Zachowanego formularza nie można odczytać', 'The kept form cannot be read'],
  applicant_absent: ['Wnioskodawca nieobecny', 'Applicant not present'],
  review_photo_none: ['brak zdjęcia', 'no photo'],
  minor_section: ['Osoba małoletnia: rodzice lub opiekunowie', 'Minor: parents or guardians'],
  guardian: ['Rodzic / opiekun', 'Parent / guardian'],
  role: ['Rola', 'Role'],
  role_mother: ['Matka', 'Mother'],
  role_father: ['Ojciec', 'Father'],
  role_legal_guardian: ['Opiekun prawny', 'Legal guardian'],
  add_guardian: ['Dodaj rodzica/opiekuna', 'Add parent/guardian'],
  remove: ['Usuń', 'Remove'],
  guardian_removed: ['Usunięto wiersz rodzica/opiekuna.', 'A parent/guardian row was removed.'],
  guardian_restore: ['Przywróć usunięty wiersz (Ctrl+Z)', 'Restore the removed row (Ctrl+Z)'],
  guardian_pesel_male: ['PESEL wskazuje mężczyznę: sprawdź rolę z dokumentem.', 'The PESEL is a man\'s: check the role with the document.'],
  guardian_pesel_female: ['PESEL wskazuje kobietę: sprawdź rolę z dokumentem.', 'The PESEL is a woman\'s: check the role with the document.'],
  consent_basis: ['Podstawa (wniosek jednego rodzica)', 'Basis (one parent applies)'],
  consent_other_parent_consent: ['Zgoda drugiego rodzica', "Other parent's consent"],
  consent_court_ruling: ['Orzeczenie sądu', 'Court ruling'],
  consent_other_parent_deceased: ['Drugi rodzic nie żyje', 'Other parent deceased'],
  consent_father_unknown: ['Ojciec nieznany', 'Father unknown'],
  consent_reference: ['Sygnatura / nr dokumentu', 'Reference'],
  applicant_present: ['Wnioskodawca obecny', 'Applicant present'],
  reduction: ['Ulga', 'Reduction'],
  reduction_none: ['Brak', 'None'],
  reduction_student: ['Uczeń / student', 'Pupil / student'],
  reduction_pensioner: ['Emeryt / rencista', 'Pensioner'],
  reduction_disabled: ['Osoba niepełnosprawna', 'Disabled'],
  large_family_card: ['Karta Dużej Rodziny (nr)', 'Large Family Card (no.)'],
  fee: ['Opłata', 'Fee'],
  age: ['Wiek', 'Age'],
  fingerprints: ['Odciski palców', 'Fingerprints'],
  signature: ['Podpis', 'Signature'],
  validity: ['Ważność', 'Validity'],
  yes: ['tak', 'yes'],
  no: ['nie', 'no'],
  to_review: ['Podsumowanie (Ctrl+Enter)', 'Review (Ctrl+Enter)'],
  review_title: ['Sprawdź i zatwierdź', 'Check and confirm'],
  back: ['Wróć (Esc)', 'Back (Esc)'],
  submit: ['Zatwierdź i zapisz (Ctrl+Enter)', 'Confirm and save (Ctrl+Enter)'],
  saving: ['Zapisywanie…', 'Saving…'],
  saved_title: ['Wniosek zapisany', 'Application saved'],
  saved_offline: [
    'Zapisano na stanowisku. Rejestr jest niedostępny: wniosek zostanie wysłany automatycznie.',
    'Saved at this counter. The register is unreachable: the application will be sent automatically.',
  ],
  saved_online: ['Zapisano; wysyłanie do rejestru trwa.', 'Saved; being sent to the register.'],
  new_application: ['Nowy wniosek (Enter)', 'New application (Enter)'],
  saved_acknowledged: ['Zapisano; wniosek przyjęty przez rejestr.', 'Saved; the register accepted the application.'],
  saved_refused: ['Zapisano na stanowisku, ale rejestr nie przyjął wniosku:', 'Saved at this counter, but the register refused the application:'],
  saved_refused_next: ['Sprawa trafiła do kierownika (ekran Kierownik, Alt+5).', 'It has gone to a supervisor (Supervisor screen, Alt+5).'],
  saved_unsendable: ['Zapisano na stanowisku, ale zapisu nie można wysłać; kierownik go widzi.', 'Saved at this counter, but the record cannot be sent; a supervisor sees it.'],
  fix_fields: ['Popraw zaznaczone pola.', 'Correct the marked fields.'],
  search: ['Szukaj: numer wniosku, PESEL lub nazwisko', 'Search: application number, PESEL or surname'],
  number: ['Numer', 'Number'],
  name: ['Imię i nazwisko', 'Name'],
  status: ['Stan', 'Status'],
  sync: ['Stan w rejestrze', 'At the register'],
  created: ['Data przyjęcia', 'Taken on'],
  no_results: ['Brak wyników.', 'Nothing found.'],
  register_reason: ['Powód', 'Reason'],
  scan: ['Zeskanuj lub wpisz numer dokumentu albo wniosku (Enter)', 'Scan or type the document or application number (Enter)'],
  find: ['Szukaj', 'Find'],
  document: ['Dokument', 'Document'],
  holder: ['Posiadacz', 'Holder'],
  minor_holder: ['Osoba małoletnia: odbiera rodzic lub opiekun.', 'A minor: a parent or guardian collects it.'],
  collector: ['Odbierający', 'Collected by'],
  collector_holder: ['Posiadacz', 'The holder'],
  collector_parent: ['Rodzic', 'A parent'],
  collector_legal_guardian: ['Opiekun prawny', 'A legal guardian'],
  identity_document: ['Okazany dokument tożsamości (rodzaj i numer)', 'Identity document shown (kind and number)'],
  hand_over: ['Wydaj dokument (Ctrl+Enter)', 'Hand over (Ctrl+Enter)'],
  handed_over: ['Dokument wydany', 'Document handed over'],
  provisional: ['WARUNKOWE: wydane bez połączenia z rejestrem; kierownik zostanie powiadomiony o ewentualnej rozbieżności.', 'PROVISIONAL: handed over while the register was unreachable; a supervisor will see any disagreement.'],
  ready_list: ['Dokumenty do wydania w tym urzędzie', 'Documents waiting at this office'],
  ready_synced: ['Lista z rejestru pobrana', 'Register list fetched'],
  collector_choices: ['Kto odbiera (naciśnij cyfrę)', 'Who collects (press a digit)'],
  collector_in_person: ['Posiadacz osobiście', 'The holder in person'],
  collector_other: ['Inna osoba — wpisz dane', 'Another person — type their details'],
  collector_adult_guardian: ['Opiekun prawny osoby całkowicie ubezwłasnowolnionej', 'Legal guardian of a person under full guardianship'],
  collector_role: ['Rola odbierającego', 'Collector\'s role'],
  guardian_mother: ['matka', 'mother'],
  guardian_father: ['ojciec', 'father'],
  guardian_legal_guardian: ['opiekun prawny', 'legal guardian'],
  court_ruling: ['Sygnatura akt postanowienia sądu (np. III RNs 123/24)', 'Case reference of the court ruling (e.g. III RNs 123/24)'],
  adult_in_person: ['Osoba pełnoletnia odbiera paszport osobiście. Wyjątek: opiekun prawny osoby całkowicie ubezwłasnowolnionej, z postanowieniem sądu.', 'An adult collects their passport in person. The exception: the legal guardian of a person under full guardianship, with the court ruling.'],
  guardians_unknown: ['Wniosek złożono w innym urzędzie: porównaj dane rodzica lub opiekuna z jego dokumentem i z postanowieniem sądu, jeśli je okazał.', 'The application was taken elsewhere: compare the parent\'s or guardian\'s details with their document, and with the court ruling if shown.'],
  verdict_provisional: ['Rejestr jest niedostępny. Zasady urzędu pozwalają wydać dokument warunkowo, po sprawdzeniu układu elektronicznego.', 'The register is unreachable. The office\'s policy allows a provisional hand-over after the chip check.'],
  verdict_chip_needed: ['Najpierw sprawdź układ (Alt+C).', 'Check the chip first (Alt+C).'],
  verdict_chip_ok: ['Układ sprawdzony: można wydać warunkowo.', 'Chip checked: it may be handed over provisionally.'],
  state_sending: ['Wysyłanie do rejestru — czekam na odpowiedź…', 'Sending to the register — waiting for its answer…'],
  state_waiting: ['Zapisano na stanowisku. Rejestr jeszcze nie odpowiedział: wysyłanie trwa, a ten stan zmieni się sam. Nie wydawaj dokumentu przed odpowiedzią.', 'Saved at this counter. The register has not answered yet: sending goes on and this updates by itself. Do not hand the document over before the answer.'],
  state_issued: ['Dokument wydany — rejestr przyjął wydanie', 'Document issued — the register accepted the hand-over'],
  state_refused: ['Rejestr odmówił wydania', 'The register refused the hand-over'],
  state_queued: ['Zapisano warunkowo: rejestr jest niedostępny. Wydanie zostanie wysłane po przywróceniu połączenia; kierownik zobaczy ewentualną odmowę.', 'Saved provisionally: the register is unreachable. The hand-over is sent when the connection returns; a supervisor will see any refusal.'],
  handover_notices: ['Odmowy rejestru dotyczące wydań (czekają na decyzję kierownika)', 'Register refusals of hand-overs (waiting for a supervisor\'s decision)'],
  notice_since: ['od', 'since'],
  handover_draft_of: ['Niedokończone wydanie dokumentu', 'Unfinished hand-over of document'],
  handover_draft_saved: ['zapisane', 'saved on'],
  at_hour: ['o', 'at'],
  scan_empty: ['Wpisz lub zeskanuj numer dokumentu.', 'Type or scan the document number.'],
  scan_too_long: ['Numer dokumentu albo wniosku ma najwyżej 30 znaków; wpisano', 'A document or application number has at most 30 characters; typed'],
  age_lower: ['wiek', 'age'],
  identity_kind: ['Rodzaj okazanego dokumentu', 'Kind of document shown'],
  identity_number: ['Numer okazanego dokumentu', 'Number of the document shown'],
  handover_last_field: ['To ostatnie pole. Wydaj dokument: Ctrl+Enter.', 'This is the last field. Hand over: Ctrl+Enter.'],
  register_handed_over: ['Rejestr: ten dokument został już wydany na innym stanowisku lub w innym punkcie. Nie wydawaj go; wezwij kierownika.', 'Register: this document has already been handed over at another counter or office. Do not hand it over; call the supervisor.'],
  register_invalidated: ['Rejestr: ten dokument jest unieważniony. Nie wydawaj go; wezwij kierownika.', 'Register: this document is invalidated. Do not hand it over; call the supervisor.'],
  register_unknown: ['Rejestr nie zna tego dokumentu. Nie wydawaj go; wezwij kierownika.', 'The register does not know this document. Do not hand it over; call the supervisor.'],
  register_not_checked: ['Nie udało się sprawdzić stanu dokumentu w rejestrze (brak połączenia lub odpowiedzi): stan według listy tego punktu.', 'The document\'s state in the register could not be checked (offline or no answer): the state is this counter\'s list.'],
  handover_draft_title: ['Niedokończone wydanie', 'Unfinished hand-over'],
  handover_draft_text: ['Zachowano niedokończone wydanie dokumentu z', 'An unfinished hand-over was kept at'],
  card_login_title: ['Karta urzędnika', 'Clerk card'],
  card_pin: ['PIN karty', 'Card PIN'],
  card_login: ['Zaloguj kartą', 'Log in with the card'],
  card_unlock: ['Odblokuj kartą', 'Unlock with the card'],
  card_bind: ['Powiąż kartę', 'Tie my card'],
  card_bind_text: ['Włóż swoją kartę urzędnika do czytnika, podaj hasło i PIN karty: karta będzie cię logować na tym stanowisku.', 'Put your clerk card in a reader, enter your password and the card\'s PIN: the card will log you in at this counter.'],
  card_bound: ['Karta powiązana z kontem', 'Card tied to the account'],
  chip_title: ['Weryfikacja układu elektronicznego (chipu)', 'Chip check'],
  chip_hint: ['Połóż paszport na czytniku (stroną ze zdjęciem do dołu) i sprawdź chip.', 'Put the passport on the reader (photo page down) and check the chip.'],
  chip_check: ['Sprawdź chip (Alt+C)', 'Check chip (Alt+C)'],
  chip_reading: ['Czytanie układu…', 'Reading the chip…'],
  chip_retry: ['Połóż paszport z powrotem na czytniku i spróbuj ponownie.', 'Put the passport back on the reader and try again.'],
  chip_face: ['Zdjęcie z układu', 'Photo from the chip'],
  chip_face_jp2: ['Zdjęcie w układzie jest w formacie JPEG 2000 i nie może być tu wyświetlone.', 'The chip\'s photo is JPEG 2000 and cannot be shown here.'],
  chip_app_photo: ['Zdjęcie z wniosku', 'Photo from the application'],
  chip_app_photo_failed: ['Nie udało się wczytać zdjęcia z wniosku.', 'The application photo could not be loaded.'],
  chip_no_app_photo: ['Wniosek złożono w innym punkcie: brak zdjęcia z wniosku.', 'The application was taken elsewhere: no application photo here.'],
  chip_optional: ['Weryfikacja chipu nie jest wymagana w trybie demonstracyjnym.', 'The chip check is not required in demo mode.'],
  check_access: ['Dostęp (BAC z MRZ)', 'Access (BAC from the MRZ)'],
  check_data_groups: ['Grupy danych', 'Data groups'],
  check_structure: ['Budowa plików układu', "Structure of the chip's files"],
  check_hashes: ['Skróty danych = EF.SOD', 'Data hashes = EF.SOD'],
  check_signature: ['Podpis EF.SOD', 'EF.SOD signature'],
  check_chain: ['Zaufany wystawca (CSCA)', 'Trusted issuer (CSCA)'],
  check_validity: ['Ważność certyfikatów', 'Certificate validity'],
  check_mrz: ['DG1 = dane z rejestru', 'DG1 = register record'],
  outbox_queued: ['Czeka na wysłanie', 'Waiting to be sent'],
  outbox_refused: ['Odrzucone przez rejestr', 'Refused by the register'],
  outbox_recent: ['Ostatnio przyjęte', 'Recently acknowledged'],
  outbox_seq: ['Nr zapisu', 'Entry'],
  outbox_kind: ['Rodzaj', 'Kind'],
  outbox_number: ['Numer wniosku lub dokumentu', 'Application or document number'],
  outbox_person: ['Osoba', 'Person'],
  outbox_time: ['Czas zapisu', 'Saved at'],
  outbox_details: ['Szczegóły', 'Details'],
  last_attempt_failed: ['Ostatnia próba wysłania nie powiodła się; program ponowi ją sam.', 'The last attempt to send failed; it will be retried.'],
  sync_progress: ['Postęp wysyłania', 'Sending progress'],
  send_now: ['Wyślij teraz', 'Send now'],
  empty: ['Pusto.', 'Empty.'],
  eta: ['pozostało ok.', 'about'],
  waits_for: ['czeka na', 'waits for'],
  decision: ['Decyzja', 'Decision'],
  note: ['Uzasadnienie', 'Reason'],
  record_decision: ['Zapisz decyzję', 'Record the decision'],
  decided_by: ['zdecydował(a)', 'decided by'],
  end_of_day: ['Podsumowanie dnia', 'End of day'],
  date: ['Data', 'Date'],
  show: ['Pokaż', 'Show'],
  date_hint: ['dd.mm.rrrr', 'dd.mm.yyyy'],
  choose: ['— wybierz —', '— choose —'],
  operation_kind: ['Rodzaj operacji', 'Kind of action'],
  register_state: ['Stan w rejestrze', 'State at the register'],
  how_many: ['Liczba', 'Count'],
  nothing: ['nic', 'nothing'],
  pending_total: ['Czeka na rejestr', 'Waiting for the register'],
  refused_total: ['Odrzucone', 'Refused'],
  undecided: ['bez decyzji', 'undecided'],
  offline_periods: ['Przerwy w łączności', 'Offline periods'],
  none: ['brak', 'none'],
  override_title: ['Wyjątek od limitu (kierownik)', 'Override the cap (supervisor)'],
  supervisor_id: ['Identyfikator kierownika', 'Supervisor id'],
  hours: ['Liczba godzin (1–12)', 'Hours (1–12)'],
  approve: ['Zatwierdź wyjątek', 'Approve the override'],
  override_until: ['Wyjątek do', 'Override until'],
  supervisor_only: ['Ten ekran jest dla kierownika.', 'This screen is for supervisors.'],
  print: ['Drukuj', 'Print'],
  preview: ['Podgląd', 'Preview'],
  printed_job: ['Wysłano do drukarki: zadanie', 'Sent to the printer: job'],
  document_ready: ['Dokument gotowy:', 'Document ready:'],
  preview_tools: ['Narzędzia podglądu', 'Preview tools'],
  preview_page_area: ['Strona dokumentu (strzałki przewijają)', 'The document page (arrow keys scroll)'],
  preview_unavailable: [
    'Podgląd jest niedostępny: na tym komputerze nie ma programu pdftoppm (pakiet poppler-utils). Drukowanie działa bez niego.',
    'No preview: pdftoppm (poppler-utils) is not installed on this computer. Printing works without it.',
  ],
  page: ['Strona', 'Page'],
  of: ['z', 'of'],
  in_pdf: ['w pliku PDF', 'in the PDF'],
  page_previous: ['Poprzednia strona (PageUp)', 'Previous page (PageUp)'],
  page_next: ['Następna strona (PageDown)', 'Next page (PageDown)'],
  zoom_in: ['Powiększ (Ctrl +)', 'Zoom in (Ctrl +)'],
  zoom_out: ['Pomniejsz (Ctrl −)', 'Zoom out (Ctrl −)'],
  zoom_fit: ['Do szerokości okna (Ctrl+0)', 'Fit the width (Ctrl+0)'],
  close_preview: ['Zamknij podgląd (Esc)', 'Close the preview (Esc)'],
  doc_receipt: ['potwierdzenie', 'receipt'],
  doc_protocol: ['protokół wydania', 'hand-over protocol'],
  doc_day_report: ['raport dnia', "the day's report"],
  cards_no_service: ['Czytnik kart: usługa nie działa', 'Card reader: service not running'],
  cards_no_reader: ['Brak czytnika kart', 'No card reader'],
  cards_reader: ['Czytnik kart', 'Card reader'],
  cards_card_in: ['karta włożona', 'card inserted'],
  cards_empty: ['pusty', 'empty'],
} satisfies Record<string, [string, string]>;

type Word = { pl: string; en: string };
type EntryKindCode = keyof typeof table.entry_kind;
type ApplicationKindCode = keyof typeof table.application_kind;

/** The table's words under the prefixes the screens have always used. */
type TableKey =
  | `state_${SyncState}`
  | `kind_${EntryKindCode}`
  | `kind_${ApplicationKindCode}`
  | `app_${ApplicationStatus}`
  | `doc_${DocumentState}`
  | `outcome_${DecisionOutcome}`
  | `reason_${InvalidationReason}`;

export type WordKey = keyof typeof words | TableKey;

const sections: [string, Record<string, Word>][] = [
  ['state_', table.sync_state],
  ['kind_', table.entry_kind],
  ['kind_', table.application_kind],
  ['app_', table.application_status],
  ['doc_', table.document_state],
  ['outcome_', table.decision_outcome],
  ['reason_', table.invalidation_reason],
];

function pick(lang: Lang, w: Word): string {
  return lang === 'en' ? w.en : w.pl;
}

function fromTable(key: string): Word | undefined {
  for (const [prefix, section] of sections) {
    if (key.startsWith(prefix)) {
      const w = section[key.slice(prefix.length)];
      if (w) return w;
    }
  }
  return undefined;
}

export function tr(lang: Lang, key: WordKey): string {
  const own = (words as Record<string, [string, string]>)[key];
  if (own) return lang === 'en' ? own[1] : own[0];
  const w = fromTable(key);
  return w ? pick(lang, w) : key;
}

/** A word looked up by a key built at run time (e.g. `state_${s}`). A key
 *  with no words (a kind from a newer release) is said to be unknown,
 *  never shown raw. */
export function trDynamic(lang: Lang, key: string): string {
  if (key in words || fromTable(key)) return tr(lang, key as WordKey);
  return lang === 'en' ? 'unknown (from a newer release)' : 'nieznane (z nowszej wersji programu)';
}

/** An error code's words from the shared table (`IpcError` and field
 *  error codes), for errors the screen finds itself before asking Rust. */
export function errorWords(lang: Lang, code: string): string {
  const w =
    (table.error_code as Record<string, Word>)[code] ?? (table.field_error as Record<string, Word>)[code];
  return w ? pick(lang, w) : lang === 'en' ? 'an error' : 'błąd';
}

/** The register's reason as stored (`409 document_already_issued: …`), in
 *  words; the register's own text (English, for IT) is left out. */
export function registerReason(lang: Lang, stored: string | null | undefined): string {
  if (!stored) return '';
  const head = stored.split(':')[0].trim().split(/\s+/);
  const code = head[head.length - 1];
  const w = (table.problem_code as Record<string, Word>)[code];
  if (w) return pick(lang, w);
  return lang === 'en'
    ? 'the register gave a reason this release does not know'
    : 'rejestr podał powód, którego ta wersja programu nie zna';
}

/** Why an entry cannot be sent, read from the sync engine's note (the same
 *  rules as `UnsendableReason::classify` in words.rs). */
export function unsendableReason(lang: Lang, note: string | null | undefined): string {
  const e = note ?? '';
  const u = table.unsendable;
  let w: Word;
  if (e.includes('kept at this counter')) w = u.local_only;
  else if (e.includes('no longer know its key') || e.includes('first sent more than')) w = u.beyond_key_retention;
  else if (e.includes('unreadable time')) w = u.time_unreadable;
  else if (e.includes('photo') && e.includes('missing')) w = u.photo_missing;
  else if (e.includes('photo') && e.includes('has been changed')) w = u.photo_changed;
  else if (e.includes('photo') && e.includes('cannot be read')) w = u.photo_unreadable;
  else if (e.startsWith('entry ')) w = u.payload_unreadable;
  else w = u.other;
  return pick(lang, w);
}

/** Why an entry was refused or cannot be sent, in words. */
export function refusalReason(
  lang: Lang,
  state: SyncState,
  register_reason: string | null | undefined,
  last_error: string | null | undefined,
): string {
  if (register_reason) return registerReason(lang, register_reason);
  if (state === 'unsendable') return unsendableReason(lang, last_error);
  return '';
}

export type Noun = keyof typeof table.plural;

const pluralEn = new Intl.PluralRules('en');

/** `n` and the noun in its form: "1 próba", "2 próby", "5 prób",
 *  "22 próby"; "1 attempt", "2 attempts" (Intl.PluralRules). */
export function count(lang: Lang, noun: Noun, n: number): string {
  const p = table.plural[noun];
  if (lang === 'en') return `${n} ${pluralEn.select(n) === 'one' ? p.en.one : p.en.other}`;
  return `${n} ${p.pl[pluralPl(n)]}`;
}

/** A supervisor's decision in words that fit what was refused (`kind`,
 *  the entry's kind code): a hand-over has a holder, not an applicant. */
export function decisionWords(lang: Lang, kind: string, outcome: DecisionOutcome): string {
  const bySubject = table.decision_outcome_by_subject as Record<string, Record<DecisionOutcome, Word>>;
  const w = bySubject[kind]?.[outcome] ?? (table.decision_outcome as Record<string, Word>)[outcome];
  return w ? pick(lang, w) : trDynamic(lang, `outcome_${outcome}`);
}

/** An account's role in words ("urzędnik", "kierownik"), never its code. */
export function roleWords(lang: Lang, role: string): string {
  const w = (table.role as Record<string, Word>)[role];
  return w ? pick(lang, w) : trDynamic(lang, `role_${role}`);
}
