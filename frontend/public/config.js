// Run-time settings of the dashboard. In the container image this file is replaced when it starts
// (docker/write-runtime-config.sh, from API_BASE_URL and POLL_MS); in development it is served as is and the
// build-time VITE_* variables apply.
window.__DASHBOARD_CONFIG__ = {};
