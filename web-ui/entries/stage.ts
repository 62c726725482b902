import '../pages/podium-venue-screen-page.js';
