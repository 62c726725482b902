import '../pages/podium-captioner-page.js';
