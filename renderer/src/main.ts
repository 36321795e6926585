/**
 * The renderer's entry: picks the Lab API for this page (Electron preload, browser
 * mode WebSocket, or offline), connects the stores to it, and mounts the app.
 */
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { pickLab } from './api/pick-lab';
import { WsLab } from './api/ws-lab';
import { prestartScanWorkers } from './stores/events';
import { useLabStore } from './stores/lab';
import './styles/theme.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);

const { api, transport } = pickLab();
const lab = useLabStore(pinia);
void lab.init(api, transport, api instanceof WsLab ? (listen) => api.onState(listen) : undefined);

app.mount('#app');
prestartScanWorkers();
