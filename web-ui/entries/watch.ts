import '../pages/podium-watch-page.js';
