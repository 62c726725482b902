import '../pages/podium-console-page.js';
