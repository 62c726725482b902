import '../pages/podium-lectern-page.js';
