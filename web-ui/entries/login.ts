import '../pages/podium-login-page.js';
