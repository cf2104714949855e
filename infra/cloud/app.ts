import { createRapportApp } from './rapport-app.js';

const { app } = createRapportApp();
app.synth();
