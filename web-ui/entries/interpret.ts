import '../pages/podium-interpreter-page.js';
