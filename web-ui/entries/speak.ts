import '../pages/podium-speaker-page.js';
