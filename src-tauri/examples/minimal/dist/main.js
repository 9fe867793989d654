// Tells the shell the page is interactive, like the app's first screen does.
window.__TAURI_INTERNALS__.invoke('app_ready');
