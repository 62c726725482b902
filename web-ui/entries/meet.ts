import '../pages/podium-meeting-page.js';
