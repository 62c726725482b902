import type { FastifyInstance } from 'fastify';
import type { PodiumConfig } from '../config/schema.js';

/** Escapes text for HTML, so that configured text is shown as text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

type Notice = { lang: 'de' | 'en'; title: string; sections: [heading: string, body: string][] };

/** Builds the privacy notice from what the configuration actually does. */
export function privacyNotice(config: PodiumConfig, lang: 'de' | 'en'): Notice {
  const operator = config.privacy.operator || (lang === 'de' ? 'der Betreiber dieses Geräts' : 'the operator of this appliance');
  const contact = config.privacy.contact;
  const days = config.privacy.recordingRetentionDays;
  const keep = config.privacy.keepQuestions;

  if (lang === 'en') {
    return {
      lang,
      title: 'Privacy notice',
      sections: [
        ['Who is responsible', `${operator} runs this Podium appliance on its own hardware.${contact ? ` Data protection contact: ${contact}.` : ''}`],
        ['What leaves the house', 'Nothing. Every page, script, font and style comes from this appliance. There are no analytics, no tracking cookies and no services of other companies.'],
        ['Watching', 'Watching needs no account and no name. The appliance processes your IP address to send you the stream and writes it to its service log, which the operating system keeps for a limited time.'],
        ['Names, questions and chat', keep ? 'Staff have chosen to keep questions, names and chat after an event ends.' : 'Questions, display names and chat are deleted when the event ends, unless staff choose to keep them for an event.'],
        ['Recordings', `Recordings are deleted after ${days} days.`],
        ['Cookies', 'Only staff, invited speakers, listeners who entered an access code and listeners admitted from an event\'s lobby get one session cookie (podium_session). It is needed for the login and expires by itself. The watch page keeps a random key in the browser tab (sessionStorage) so that a reload keeps your votes and questions; it is gone when the tab closes.'],
      ],
    };
  }

  return {
    lang,
    title: 'Datenschutzhinweis',
    sections: [
      ['Verantwortlich', `${operator} betreibt dieses Podium-Gerät auf eigener Hardware.${contact ? ` Kontakt für den Datenschutz: ${contact}.` : ''}`],
      ['Was das Haus verlässt', 'Nichts. Alle Seiten, Skripte, Schriften und Stile kommen von diesem Gerät. Es gibt keine Statistikdienste, keine Tracking-Cookies und keine Dienste anderer Firmen.'],
      ['Zuschauen', 'Zum Zuschauen brauchen Sie kein Konto und keinen Namen. Das Gerät verarbeitet Ihre IP-Adresse, um Ihnen den Stream zu senden, und schreibt sie in sein Dienstprotokoll, das das Betriebssystem begrenzte Zeit aufbewahrt.'],
      ['Namen, Fragen und Chat', keep ? 'Das Team hat festgelegt, Fragen, Namen und Chat nach dem Ende einer Veranstaltung aufzubewahren.' : 'Fragen, Anzeigenamen und Chat werden gelöscht, wenn die Veranstaltung endet, es sei denn, das Team bewahrt sie für eine Veranstaltung auf.'],
      ['Aufzeichnungen', `Aufzeichnungen werden nach ${days} Tagen gelöscht.`],
      ['Cookies', 'Nur das Team, eingeladene Vortragende, Zuschauende mit Zugangscode und Zuschauende, die das Team aus dem Warteraum eingelassen hat, erhalten ein Sitzungs-Cookie (podium_session). Es ist für die Anmeldung nötig und läuft von selbst ab. Die Zuschauseite merkt sich im Browser-Tab (sessionStorage) einen zufälligen Schlüssel, damit Ihre Stimmen und Fragen ein Neuladen überstehen; er verschwindet, wenn Sie den Tab schließen.'],
    ],
  };
}

function noticeHtml(notice: Notice): string {
  const other = notice.lang === 'de' ? '<a href="/datenschutz?lang=en" lang="en">English</a>' : '<a href="/datenschutz" lang="de">Deutsch</a>';
  const sections = notice.sections
    .map(([heading, body]) => `<h2>${escapeHtml(heading)}</h2>\n<p>${escapeHtml(body)}</p>`)
    .join('\n');

  return `<!doctype html>
<html lang="${notice.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Podium – ${escapeHtml(notice.title)}</title>
<link rel="stylesheet" href="/assets/podium.css">
</head>
<body class="document">
<main>
<h1>${escapeHtml(notice.title)}</h1>
${sections}
<p>${other} · <a href="/watch">Podium</a></p>
</main>
</body>
</html>
`;
}

/** Serves the privacy notice (Datenschutzhinweis) at /datenschutz, German or with ?lang=en English. */
export function registerPrivacyPage(app: FastifyInstance, config: PodiumConfig): void {
  app.get<{ Querystring: { lang?: string } }>('/datenschutz', { config: { access: 'public' } }, async (request, reply) => {
    const lang = request.query.lang === 'en' ? 'en' : 'de';

    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send(noticeHtml(privacyNotice(config, lang)));
  });
}
