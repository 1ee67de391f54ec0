/*
 * keywords: every word list of the convocation extractor, as data in one
 * file, matched on folded text (frdate_fold: lowercase ASCII, no
 * accents), and the index that finds the most used ones in a doc in one
 * pass.  The order of the words in a list matters where a longer label
 * must be tried before its prefix ("nom et prenom" before "nom"), and
 * the order of indexed[] sets the index's layout: append, do not sort.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "lib/ascii.h"
#include "parsers/extract.h"

/* ---------------------------------------- the lists of indexed[] */

const char *const kw_negation[] = {
	"il ne s'agit pas d'une convocation", "ceci n'est pas une convocation",
	"ce message n'est pas une convocation", "ne constitue pas une convocation",
	"ne vaut pas convocation", "n'est pas une convocation",
	"this is not a convocation", "this is not a summons",
	"this message is not a convocation", "is not an appointment",
	"ne s'agit pas d'une convocation", NULL
};

const char *const kw_cancel[] = {
	"est annule", "a ete annule", "ont ete annule", "sont annule",
	"est supprime", "a ete supprime", "sont supprime",
	"annulation de votre rendez-vous", "annulation de votre convocation",
	"annulation de la convocation", "annulation du rendez-vous",
	"annulation de votre visite", "annulation de l'entretien",
	"nous annulons", "contraints d'annuler", "avons du annuler",
	"rendez-vous annule", "convocation annulee", "visite annulee",
	"ne pourra pas avoir lieu", "n'aura pas lieu", "has been cancelled",
	"has been canceled", "is cancelled", "is canceled",
	"appointment cancelled", "appointment canceled", NULL
};

const char *const kw_resched[] = {
	"est reporte", "a ete reporte", "sont reporte",
	"nouvelle date", "nouveau rendez-vous :", "nouveau rendez-vous le",
	"nouvelle convocation", "modification de la date",
	"modification de votre rendez-vous", "modification de votre convocation",
	"changement de date", "changement de votre rendez-vous",
	"est deplace", "a ete deplace", "donc deplace", "ancien rendez-vous",
	"votre nouveau rendez-vous",
	"initialement prevu", "remplace la convocation",
	"est avance", "a ete avance", "est decale", "a ete decale",
	"est retarde", "a ete retarde", "changement d'horaire",
	"modification de l'horaire", "modification d'horaire",
	"nouvel horaire", "nouvelle heure", "brought forward",
	"remplace votre convocation", "remplace votre precedente",
	"annule et remplace", "rescheduled", "new date", "new appointment",
	"postponed", "has been moved", NULL
};

/* The mail carries or announces a convocation whose details cannot be
   read here (a scanned letter, an ANEF notice): still a convocation. */
const char *const kw_announce[] = {
	"ci-joint votre convocation", "ci-jointe votre convocation",
	"votre convocation est jointe", "votre convocation est disponible",
	"trouverez ci-joint votre convocation", "vous a adresse une convocation",
	"en piece jointe votre convocation", "votre convocation en piece jointe",
	"convocation est disponible dans votre espace",
	"your convocation is attached", "your notice to attend is attached",
	NULL
};

const char *const kw_ack[] = {
	"avons bien recu", "bien ete recu", "bien ete enregistre",
	"bien pris en compte", "avons pris en compte",
	"accuse de reception", "accusons reception", "accusons bonne reception",
	"accuse bonne reception", "acknowledge receipt", "acknowledge the receipt",
	"a ete enregistree", "a ete enregistre",
	"votre visa a ete valide", "validation de votre visa",
	"confirmation de validation", "attestation de validation",
	"vous serez convoque", "vous recevrez prochainement",
	"vous recevrez une convocation", "vous recevrez ulterieurement",
	"recevrez votre convocation", "we have received", "has been received",
	"has been validated", "dossier est complet", "demande est en cours",
	NULL
};

/*
 * A summons is addressed to the person: they are convoked, or "your"
 * appointment is fixed, or they must present themselves.  An information
 * mail ("prochaine réunion collective : jeudi 15 juin à 10h00") announces
 * dates too, but asks nobody in particular to come.  Hence no bare
 * "rendez-vous le": "venez nous rencontrer ... rendez-vous le 12 mars à
 * 14h à la mairie" invites the public; "votre rendez-vous le", "vous
 * avez rendez-vous le", "nous vous donnons rendez-vous le" address the
 * person.
 */
const char *const kw_summons[] = {
	"convoc", "convoqu", "votre rendez-vous", "votre rdv", "votre visite",
	"votre entretien", "votre test", "votre examen", "votre formation",
	"votre seance", "votre session", "votre journee", "votre radio",
	"vous presenter", "presentez-vous", "vous etes attendu",
	"vous etes invite", "vous etes prie", "vous etes inscrit",
	"votre presence", "nous vous attendons", "vous attend",
	"rendez-vous vous a ete", "rendez-vous est fixe",
	"rendez-vous a ete fixe", "rendez-vous est programme",
	"rendez-vous a ete programme", "rendez-vous est prevu",
	"rendez-vous a ete", "rendez-vous du", "rendez-vous initial",
	"vous avez rendez-vous", "vous avez un rendez-vous",
	"vous donne rendez-vous", "vous donnons rendez-vous",
	"vous fixe rendez-vous", "vous fixons rendez-vous",
	"rendez-vous confirme", "rendez-vous :",
	"appointment on", "appointment confirmed", "appointment:",
	"your appointment", "you are invited", "you are requested",
	"you are required", "you are summoned", "you are expected",
	"please attend", "please come", "please present", "you must attend",
	"your visit", "your medical", "your welcome", "your interview",
	"your session", "your test", "summons", "notice to attend",
	"report de votre", "your ofii", "check-up", "medical check", NULL
};

/* OFII is the one who convokes the reader, said by OFII or reported by
   whoever relays its letter ("la convocation de l'OFII vous concernant",
   "OFII has sent the convocation").  A mention of the visit ("préparer
   votre visite médicale OFII", "en attente de la convocation OFII") is
   not one: a third party says that too. */
const char *const kw_ofii_inviter[] = {
	"l'ofii vous convoque", "l'ofii vous a convoque", "ofii vous convoque",
	"l'ofii vous invite", "l'ofii vous a invite", "ofii vous invite",
	"l'ofii vous attend", "(ofii) vous convoque", "(ofii) vous invite",
	"l'office vous convoque", "l'office vous invite",
	"office vous convoque", "convocation de l'ofii vous concernant",
	"convocation de l'ofii que vous", "ofii has sent", "ofii invites you",
	"ofii has invited you", "ofii has scheduled", "ofii has summoned",
	"ofii is inviting you", "(ofii) vous a adresse une convocation",
	"l'ofii vous a adresse une convocation",
	"l'ofii vous a envoye une convocation", "ofii has issued", NULL
};

/* The state's acknowledgement that the visa was validated (ANEF's mail),
   news the reader is waiting for, which OFII does not write. */
const char *const kw_visa_validated[] = {
	"votre visa a ete valide", "confirmons la validation de votre visa",
	"confirmation de la validation de votre visa",
	"your visa has been validated", NULL
};

/* A mailing list, never a personal convocation. */
const char *const kw_newsletter_mail[] = {
	"se desinscrire", "desinscription", "unsubscribe", "desabonner",
	"lettre d'information", "newsletter", NULL
};

/* Someone else's words about the visit: a forum or list digest (members
   quote their own letters), a calendar app's alert of the reader's own
   event.  Never a convocation, unless it forwards OFII's message. */
const char *const kw_not_ofii_voice[] = {
	"resume quotidien", "resume hebdomadaire", "daily digest",
	"weekly digest", "gerer vos abonnements", "manage your subscriptions",
	"vous l'avez programmee", "vous l'avez programme",
	"vous avez programme cette alerte", "you set for this event",
	"you set this alert", "rappel d'evenement", "event reminder",
	"notification d'evenement", "event notification", NULL
};

/* Context that makes a date an appointment. */
const char *const kw_appt[] = {
	"journee", "seance", "formation", "check-up", "convoc", "convoqu", "rendez-vous", "rdv", "visite", "examen", "vous attend",
	"presenter", "presentez", "fixe", "aura lieu", "entretien", "date :",
	"date et heure", "appointment", "scheduled", "programme", "recevr",
	"accueil", "radiographie", "test", "lieu", "heure", "attendu",
	"summon", "nouvelle date", "reporte", "deplace", "seance", "session",
	"formation", "date:", "when:", "rappel", "attend", "examination",
	"interview", "visit", "notice", NULL
};

/* Just before a date: not an appointment. */
const char *const kw_not_appt[] = {
	"avant le", "au plus tard", "jusqu'au", "date limite", "expire",
	"envoye", "a ecrit", "wrote", "genere", "edite", "imprime", "depose",
	"valide le", "validee le", "paiement", "payer", "reglement ", "reglez", "sent:",
	"sent on", "naissance", "ne le", "nee le", "ne(e) le", "fait a",
	"redige", "recu le", "connexion", "mis a jour", "delivre",
	"emis le", "publie", "before", "deadline", "no later than", "due on",
	"enregistre", "soumis", "submitted", "received on",
	"due by",
	"valable", "expir", "cree le", NULL
};

/* The mail is about OFII at all. */
const char *const kw_ofii[] = {
	"ofii", "office francais de l'immigration", "immigration et de l'integration",
	"french office for immigration", "integration republicaine",
	"office for immigration and integration", NULL
};

/* A doctor's own appointment, booked elsewhere ("rue du Docteur
   Maunoury" is a street). */
const char *const kw_gp[] = {
	"doctolib", "dr ", "dr.", "le docteur", "au docteur", "votre docteur",
	"docteur vous", "medecin traitant",
	"medecin generaliste", "medecine generale", "pediatre", "dentiste",
	"kinesitherapeute", "ophtalmo", "gynecolog", "dermatolog",
	"cardiolog", "maiia", "keldoc", "votre praticien", NULL
};

/* Near a date: an event for the public, not the person's appointment
   ("Venez nous rencontrer : rendez-vous le 12 mars à 14h à la mairie"). */
const char *const kw_newsletter[] = {
	"webinaire", "webinar", "portes ouvertes", "newsletter",
	"lettre d'information", "se desinscrire", "desinscription",
	"unsubscribe", "desabonner", "conference", "salon ", "evenement",
	"inscrivez-vous", "inscription gratuite", "venez nous",
	"venez nombreux", "rejoignez-nous", "ouvert a tous", "ouverte a tous",
	"entree libre", "acces libre", "sans inscription", "come and meet",
	"join us", "open to all", NULL
};

const char *const kw_old[] = {
	"ancien", "initialement", "precedent", "au lieu du", "au lieu de",
	"instead of", "previously", "originally", "remplace", "annule",
	"report du", "report de votre rendez-vous du", "etait fixe",
	"etait prevu", "old appointment", "cancelled", "canceled",
	"convoquait", "demande de report", NULL
};

/*
 * An information sheet's example ("Exemple : si votre convocation indique
 * le 15/03/2024 à 9h00, ...") a little before a date: the date is an
 * illustration, not the person's appointment.
 */
const char *const kw_example[] = {
	"exemple", "example", "for instance", "e.g.", "fictif", "fictive",
	"a titre indicatif", NULL
};

/*
 * The writer's own appointment, in the first person: the person asking to
 * postpone ("Je suis convoqué le 12 septembre à 9h00, je ne pourrai pas
 * venir"), never OFII summoning them.
 */
const char *const kw_first_person[] = {
	"je suis convoque", "j'ai ete convoque", "je suis attendu",
	"j'ai rendez-vous", "j'ai un rendez-vous", "mon rendez-vous",
	"ma convocation", "ma visite", "je dois me presenter",
	"i am summoned", "i have been summoned", "i was summoned",
	"i have an appointment", "my appointment", "i am due", NULL
};

/*
 * Words that summon (or move a summons) outright, unlike a mere reference
 * to the visit ("lors de votre visite du 4 juillet"): an acknowledgement
 * without one of them gives no appointment.
 */
const char *const kw_strong_summons[] = {
	"convoque", "convocation", "vous presenter", "presentez-vous",
	"vous etes attendu", "vous etes invite", "vous etes prie",
	"rendez-vous est fixe", "rendez-vous a ete fixe",
	"rendez-vous est programme", "rendez-vous a ete programme",
	"nous vous attendons", "you are invited", "you are summoned",
	"you are expected", "please attend", "please present", "rappel",
	"reminder", NULL
};

/* Before a cancellation word in its sentence: a warning ("Tout retard
   entraînera l'annulation du rendez-vous"), not a statement. */
const char *const kw_threat[] = {
	"entrain", "sous peine", "risque", "pourrait", "pourra", "peut ",
	"provoque", "conduira", "conduit a", "will result", "may result",
	"could result", "may lead", "will lead", "otherwise", "sinon", NULL
};

/* Before a rescheduling word in its sentence: advice about what to do if
   the person cannot come ("si vous ne pouvez pas vous présenter,
   demandez une nouvelle convocation"), not news that the appointment
   moved. */
const char *const kw_advice[] = {
	"demandez", "demander", "si vous ne pouvez", "en cas d'empechement",
	"en cas d'impossibilite", "ne pourra", "n'est possible",
	"possible qu'une", "cannot be", "can only be", "if you cannot",
	"if you are unable", "sans ", "without a new", NULL
};

/* ... or after it: the future of what will happen if ("une nouvelle date
   vous sera communiquée", "une nouvelle convocation ne pourra vous être
   adressée"). */
const char *const kw_advice_after[] = {
	" sera ", " seront ", " serait ", " pourra ", " pourrait ",
	" will be ", " would be ", " can be ", " may be ", NULL
};

/* The body points to the subject for the date: "à la date et à l'heure
   indiquées dans l'objet de ce message". */
const char *const kw_see_subject[] = {
	"dans l'objet", "en objet", "l'objet de ce", "l'objet du present",
	"in the subject", "dans le sujet", NULL
};

/* Just after a date: it is the old one. */
const char *const kw_old_after[] = {
	"ne peut etre maintenu", "ne peut pas etre maintenu",
	"ne pourra pas etre maintenu",
	"ne pourra pas avoir lieu", "ne peut avoir lieu", "n'aura pas lieu",
	"est annule", "a ete annule", "est reporte", "a ete reporte",
	"est deplace", "a ete deplace", "est remplace", "est supprime",
	"has been cancelled", "has been canceled", "is cancelled",
	"is canceled", "has been moved", "has been rescheduled",
	"cannot take place", "will not take place", NULL
};

const char *const kw_new[] = {
	"nouveau", "nouvelle", "reporte au", "deplace au", "new ",
	"annule et remplace",
	"rescheduled to", "desormais", "remplace par", "moved to", NULL
};

const char *const kw_cir[] = {
	"integration republicaine", "contrat d'integration", "visite d'accueil",
	"entretien d'accueil", "entretien individuel", "test de langue",
	"test linguistique", "evaluation linguistique", "test de francais",
	"positionnement linguistique", "niveau de francais",
	"formation civique", "formation linguistique", "plateforme d'accueil",
	"journee d'accueil", "pole integration", "civic training",
	"language test", "welcome interview", "republican integration",
	"integration contract", "atelier", "cir", NULL
};

const char *const kw_medical[] = {
	"visite medicale", "examen medical", "medecin", "service medical",
	"consultation medicale", "medical", "sante", "visite de controle",
	NULL
};

const char *const kw_xray[] = {
	"radiographie", "radio pulmonaire", "radio du thorax", "radiologie",
	"radiologique", "x-ray", "xray", "imagerie", "radio thoracique",
	"cliche", NULL
};

/* Words that name an item to bring.  Matched as words (items.c): a
   keyword starts a word and ends one, a plural "s" or "x" allowed
   ("hospitalier" is no hospital, "photocopie" no photo, "timbree" no
   stamp), unless it is a stem of kw_item_stems. */
const char *const kw_items[] = {
	"passeport", "passport", "titre de voyage", "document de voyage",
	"convocation", "cette lettre", "la presente lettre", "ce courrier",
	"this letter", "summons", "this notice", "the notice",
	"notice to attend", "radiographie", "radio pulmonaire",
	"radio du thorax", "cliche", "x-ray", "radiologue", "films",
	"radio des poumons", "vaccin", "carnet de sante", "immunization",
	"hopital", "hospital", "hospitalisation", "dossier medical",
	"documents medicaux", "comptes rendus medicaux", "medical records",
	"medical reports", "lunettes", "lentilles", "glasses", "grossesse",
	"maternite", "enceinte", "pregnan", "photo",
	"justificatif de domicile", "justificatif d'adresse", "quittance",
	"facture", "attestation d'hebergement", "proof of address",
	"timbre fiscal", "timbres fiscaux", "timbre electronique",
	"timbre dematerialise", "tax stamp", "timbre", "radio",
	"photographie", "photograph", "hopitaux", NULL
};

/* The kw_items keywords that start a longer word: "vaccin" (vaccination,
   vaccinal), "pregnan" (pregnancy, pregnant). */
const char *const kw_item_stems[] = {
	"vaccin", "pregnan", NULL
};

/* The item each kw_items entry stands for. */
const enum item kw_items_item[] = {
	ITEM_PASSPORT, ITEM_PASSPORT, ITEM_PASSPORT, ITEM_PASSPORT,
	ITEM_CONVOCATION, ITEM_CONVOCATION, ITEM_CONVOCATION,
	ITEM_CONVOCATION, ITEM_CONVOCATION, ITEM_CONVOCATION,
	ITEM_CONVOCATION, ITEM_CONVOCATION, ITEM_CONVOCATION,
	ITEM_CHEST_XRAY, ITEM_CHEST_XRAY, ITEM_CHEST_XRAY, ITEM_CHEST_XRAY,
	ITEM_CHEST_XRAY, ITEM_CHEST_XRAY, ITEM_CHEST_XRAY, ITEM_CHEST_XRAY,
	ITEM_VACCINATION_RECORDS, ITEM_VACCINATION_RECORDS,
	ITEM_VACCINATION_RECORDS, ITEM_HOSPITAL_REPORTS,
	ITEM_HOSPITAL_REPORTS, ITEM_HOSPITAL_REPORTS, ITEM_HOSPITAL_REPORTS,
	ITEM_HOSPITAL_REPORTS, ITEM_HOSPITAL_REPORTS, ITEM_HOSPITAL_REPORTS,
	ITEM_HOSPITAL_REPORTS, ITEM_GLASSES, ITEM_GLASSES, ITEM_GLASSES,
	ITEM_MATERNITY_RECORD, ITEM_MATERNITY_RECORD, ITEM_MATERNITY_RECORD,
	ITEM_MATERNITY_RECORD, ITEM_PHOTO, ITEM_PROOF_OF_ADDRESS,
	ITEM_PROOF_OF_ADDRESS, ITEM_PROOF_OF_ADDRESS, ITEM_PROOF_OF_ADDRESS,
	ITEM_PROOF_OF_ADDRESS, ITEM_PROOF_OF_ADDRESS, ITEM_TAX_STAMP,
	ITEM_TAX_STAMP, ITEM_TAX_STAMP, ITEM_TAX_STAMP, ITEM_TAX_STAMP,
	ITEM_TAX_STAMP, ITEM_CHEST_XRAY, ITEM_PHOTO, ITEM_PHOTO,
	ITEM_HOSPITAL_REPORTS
};
_Static_assert(sizeof(kw_items_item) / sizeof(kw_items_item[0]) ==
    sizeof(kw_items) / sizeof(kw_items[0]) - 1,
    "one item for each kw_items keyword");

const char *const kw_bring[] = {
	"apport", "munir", "munissez", "muni(e)", "munie", "muni ",
	"prenez avec vous", "presentez au", "presenter au", "a presenter",
	"documents a fournir", "pieces a fournir", "a fournir",
	"presenterez", "documents obligatoires", "documents :", "pieces :", "documents a ", "liste des documents",
	"ce qu'il faut", "bring", "documents necessaires",
	"pieces justificatives", "documents suivants", "pieces suivantes",
	"avec vous", "n'oubliez pas", "pensez a prendre", "emportez",
	"presentez-vous avec", "vous devez presenter", "se presenter avec",
	"documents requis", "pieces a", "required documents",
	"documents to", "take with you", "pensez a votre", "pensez a apporter",
	/* "Le jour de la visite, présentez :" then a list; "Présentez-vous
	   aux deux rendez-vous avec votre passeport et ..."; "Présentez
	   cette convocation à l'accueil" (a thing to show, not "présentez-
	   vous") */
	"presentez :", "presenter :", "presentez les", "avec votre passeport",
	"avec votre titre", "with your passport", "presentez ",
	"present your", "please present", "show your", NULL
};

const char *const kw_not_bring[] = {
	"inutile d", "pas besoin d", "n'apportez pas", "ne pas apporter",
	"pas necessaire", "ne vous seront pas demande", "no need to",
	"do not need to", "do not bring", "don't bring", NULL
};

const char *const kw_onsite[] = {
	"sur place", "dans nos locaux", "pendant la visite",
	"lors de la visite", "au cours de la visite", "le jour meme",
	"est incluse", "est inclus", "inclus dans", "incluse dans",
	"par nos soins", "aucun rendez-vous a prendre",
	"pas besoin de prendre rendez-vous", "n'avez pas a prendre",
	"pas de rendez-vous a prendre", "on site", "during the visit",
	"during your visit", "realisee a l'ofii", "realise a l'ofii",
	"effectuee a l'ofii", "dans les locaux de l'ofii", NULL
};

/* ---------------------------------------- not indexed */

/*
 * These are searched in a short text (a subject, a line, a window) with
 * ft_any() and the like; the comment of each says which file uses it.
 */

/* convocation.c, in a subject only: "Report de votre rendez-vous".  In a body, "pourra
   entraîner le report de votre rendez-vous" is a warning. */
const char *const kw_resched_subject[] = {
	"report", "modification", "changement de date", "nouvelle date",
	"deplace", "reschedul", NULL
};

/* appointments.c: "à 8h00 au lieu de 9h30": the old time follows these words. */
const char *const kw_instead[] = {
	"au lieu de", "au lieu des", "instead of", "et non plus", "et non a",
	"rather than", NULL
};

/* appointments.c: "... à 9h30 est avancé à 8h00": the new time follows
   these words. */
const char *const kw_time_moved[] = {
	"avance a", "avancee a", "avance au", "decale a", "decalee a",
	"retarde a", "retardee a", "deplace a", "deplacee a", "reporte a",
	"reportee a", "modifie a", "desormais a", "desormais fixe a",
	"desormais fixee a", "nouvel horaire", "nouvelle heure",
	"now at", "moved to", "changed to", "brought forward to",
	"postponed to", NULL
};

/* history.c: the header lines of a quoted or forwarded message. */
const char *const kw_header_label[] = {
	"de :", "de:", "from:", "from :", "envoye :", "envoye:", "sent:",
	"sent :", "date :", "date:", "a :", "a:", "to:", "to :", "cc :",
	"cc:", "objet :", "objet:", "subject:", "subject :", "importance :",
	"reply-to:", "repondre a :", "sujet :", "sujet:", "pour :", "pour:",
	"expediteur :", "expediteur:", "destinataire :", "destinataire:",
	NULL
};

/* history.c: the line that starts a forwarded or original message. */
const char *const kw_forward_marker[] = {
	"forwarded message", "message transfere", "debut du message reexpedie",
	"begin forwarded message", "message reexpedie", "original message",
	"message d'origine", "courriel original", NULL
};

/* history.c: such a line says forward (kept in any mail), not reply. */
const char *const kw_forward_word[] = {
	"forwarded", "transfere", "reexpedie", NULL
};

/* convocation.c: a line that starts with these names OFII as the author. */
const char *const kw_ofii_head[] = {
	"ofii", "l'ofii", "office francais de l'immigration",
	"french office for immigration", NULL
};

/* convocation.c: a short line naming OFII that is about the visit, not
   OFII's letter head or signature ("Motif : radiographie (visite médicale
   OFII)", "Étape en cours : visite médicale OFII"). */
const char *const kw_ofii_mention[] = {
	"visite", "convocation", "rendez-vous", "rdv", "etape", "atelier",
	"check-up", "appointment", "visit", "preparer", "partenaire", "avant",
	"before", "apres", "after", "pour l'ofii", "pour votre", "for your",
	NULL
};

/* doc.c: the small words of a place name in capitals ("Fait à Lyon",
   "Le Havre"). */
const char *const kw_place_small_word[] = {
	"a", "fait", "sur", "de", "la", "le", "les", "du", "en", "d'", "l'",
	NULL
};

/* appointments.c: a time window on such a line is opening or phone
   hours. */
const char *const kw_hours[] = {
	"du lundi au", "ouvert", "horaires", "permanence", "joignable",
	"accueil telephonique", "standard", "monday to", "open ", "opening",
	NULL
};

/* appointments.c: the hour you are expected, said in the sentence after
   the date's ("Vous êtes attendu à 10h00.", "Votre rendez-vous est fixé
   à 15h45.", "Ce jour-là, présentez-vous à 8 heures 15"). */
const char *const kw_time_anchor[] = {
	"attendu", "fixe a", "fixee a", "fixe pour", "presentez-vous",
	"presenter a", "presenter des", "ce jour-la", "heure de passage",
	"heure de convocation", "heure du rendez-vous", "heure de rendez-vous",
	"rendez-vous est a", "convoque a", "convoquee a", "expected at",
	"please arrive", "appointment is at", "arrive at", "recu a", "recue a",
	"accueilli a", "accueillie a", "commence a", "debute a", "suivra",
	"aura lieu a", "a lieu a", "se deroulera a", "begins at", "starts at",
	"will start at", "will follow", "accueil a", NULL
};

/* appointments.c: a form's date label that is not the visit's ("Date
   d'émission :", "Date de la demande :", "Date d'entrée en France :"). */
const char *const kw_not_visit_label[] = {
	"emission", "edition", "impression", "envoi", "creation", "demande",
	"entree", "arrivee", "validite", "expiration", "delivrance", "depot",
	"issue", "printed", "request", "arrival", "birth", NULL
};

/* appointments.c: the label of the one place a letter introduces. */
const char *const kw_place_label[] = {
	"adresse", "lieu", "address", "location", "venue", NULL
};

/* appointments.c: a place label that names the addressee's own address
   ("Adresse personnelle :", "Adresse de domicile :"). */
const char *const kw_own_place_label[] = {
	"personnel", "domicile", "residence", "postale", "home", "votre adresse",
	"your address", NULL
};

/* appointments.c, person.c: a birth date said, on a family letter's slot
   ("HAIDARI Omid, né le 30/10/2013 : 9h30"). */
const char *const kw_birth[] = {
	"ne le ", "nee le ", "ne(e) le ", "born ", "date de naissance", NULL
};

/* person.c: a civility before the addressee's name. */
const char *const kw_civility[] = {
	"monsieur ", "madame ", "mme ", "mlle ", "m. ", "mr ", "mr. ", "mrs ",
	"mrs. ", "ms ", "ms. ", "miss ", "mademoiselle ", NULL
};

/* person.c: a salutation before the addressee's name. */
const char *const kw_greeting[] = {
	"bonjour ", "cher ", "chere ", "dear ", "hello ", "madame, ",
	"monsieur, ", NULL
};

/* person.c: words after a salutation or a label that name nobody. */
const char *const kw_not_name[] = {
	"sir", "madam", "madame", "monsieur", "mesdames", "messieurs",
	"applicant", "usager", "customer", "client", "all", "tous", "toutes",
	"team", "equipe", "candidat", "beneficiaire", "ofii", NULL
};

/* person.c: the label of the addressee's name.  "Nom et prénom(s) :
   KOWALSKA Agnieszka" names both on one line: the combined labels come
   before "nom" so that the whole label is skipped, and the word in
   capitals is the family name. */
const char *const kw_person_label[] = {
	"nom et prenom(s)", "nom et prenom", "nom, prenom", "nom/prenom",
	"nom / prenom", "nom - prenom", "nom prenom", "prenom et nom",
	"prenom(s) et nom", "nom complet", "full name",
	"surname and first name", "nom", "name", "destinataire",
	"beneficiaire", "usager", "demandeur", "interesse", "a l'attention de",
	"attention", "to:", "employee", "salarie", "collaborat",
	"beneficiary", "assignee", "transferee", NULL
};

/* person.c: the label of a child's name, the letter going to the
   parent ("Représentant légal de" / "YUSUF Amina"): the child is the
   one convoked, so the name that follows is the person. */
const char *const kw_guardian_label[] = {
	"representant legal de", "representante legale de",
	"representants legaux de", "responsable legal de",
	"responsables legaux de", "parents de", "parent de", "tuteur de",
	"tutrice de", "tuteur legal de", "legal guardian of",
	"parent or guardian of", "parent of", NULL
};

/* person.c: a form's family name label ("Nom : KOWALSKA"). */
const char *const kw_family_label[] = {
	"nom de famille", "nom de naissance", "nom d'usage", "nom patronymique",
	"nom", "surname", "last name", "family name", NULL
};

/* person.c: a form's given names label ("Prénom(s) : Agnieszka"). */
const char *const kw_given_label[] = {
	"prenom(s)", "prenoms", "prenom", "first name(s)", "first names",
	"first name", "given name(s)", "given names", "given name",
	"forename(s)", "forenames", "forename", NULL
};

/* ---------------------------------------- the index */

/*
 * Keyword index.  Every list of indexed[] is looked for in each doc many
 * times, around every date and in every sentence; searching each window
 * anew made the cost (keywords x window x dates).  Instead each doc's
 * folded text is scanned once: a table keyed on the first three bytes
 * gives the few keywords that can start at a position, and every
 * occurrence goes into its list's position array (sorted, since the scan
 * goes forward).  A window query is then a binary search.  Results are those of ft_any(),
 * ft_any_word() and nearest_before() on the same text.  A list not in
 * indexed[] (or with a keyword too short to index) is searched in the
 * text, with the same result.
 */
static const char *const *const indexed[] = {
	kw_negation, kw_cancel, kw_resched, kw_announce, kw_ack, kw_summons,
	kw_ofii_inviter, kw_newsletter_mail, kw_appt, kw_not_appt, kw_ofii,
	kw_gp, kw_newsletter, kw_old, kw_old_after, kw_new, kw_cir,
	kw_medical, kw_xray, kw_items, kw_bring, kw_not_bring, kw_onsite,
	kw_example, kw_first_person, kw_strong_summons, kw_threat,
	kw_see_subject, kw_advice
};
#define NINDEXED	(sizeof(indexed) / sizeof(indexed[0]))
#define KW_BUCKETS	4096
#define KW_MAX_ENTRIES	1024
#define KW_NONE		0xffff

struct kw_entry {
	const char	*w;
	uint16_t	 len, list, id, next;
};

/*
 * The lookup table.  It depends only on the constant lists above, so it
 * is built once per process (kw_table_get) rather than per extraction,
 * where it cost about 3% of the time.  C cannot compute the hash chains
 * in a static initializer without a generated source, so a C11
 * call_once builds it: thread-safe, and read-only afterwards, so no
 * extraction can see another's state.
 */
struct kw_table {
	struct kw_entry	 e[KW_MAX_ENTRIES];
	uint16_t	 head[KW_BUCKETS];
	size_t		 n;
	int		 bad[NINDEXED];	/* a keyword too short to index */
};

static unsigned
kw_hash(const char *s)
{
	/* a line break hashes as the space it stands for (ft_eq) */
	unsigned char c0 = s[0] == '\n' ? ' ' : (unsigned char)s[0],
	    c1 = s[1] == '\n' ? ' ' : (unsigned char)s[1],
	    c2 = s[2] == '\n' ? ' ' : (unsigned char)s[2];

	return (c0 * 961u + c1 * 31u + c2) & (KW_BUCKETS - 1);
}

static void
kw_table_init(struct kw_table *t)
{
	size_t l, k, n;
	unsigned h;

	memset(t->head, 0xff, sizeof(t->head));
	t->n = 0;
	for (l = 0; l < NINDEXED; l++) {
		t->bad[l] = 0;
		for (k = 0; indexed[l][k] != NULL; k++) {
			n = strlen(indexed[l][k]);
			if (n < 3 || n > 0xffff || t->n == KW_MAX_ENTRIES) {
				t->bad[l] = 1;
				continue;
			}
			h = kw_hash(indexed[l][k]);
			t->e[t->n].w = indexed[l][k];
			t->e[t->n].len = (uint16_t)n;
			t->e[t->n].list = (uint16_t)l;
			t->e[t->n].id = (uint16_t)k;
			t->e[t->n].next = t->head[h];
			t->head[h] = (uint16_t)t->n;
			t->n++;
		}
	}
}

static struct kw_table	kw_table_data;
static once_flag	kw_table_once = ONCE_FLAG_INIT;

static void
kw_table_build(void)
{
	kw_table_init(&kw_table_data);
}

static const struct kw_table *
kw_table_get(void)
{
	call_once(&kw_table_once, kw_table_build);
	return &kw_table_data;
}

static int
kw_push(struct kw_hits *h, size_t pos, uint16_t id, uint16_t len)
{
	struct kw_hit *nv;
	size_t ncap;

	if (h->n == h->cap) {
		ncap = h->cap ? h->cap * 2 : 8;
		if ((nv = reallocarray(h->v, ncap, sizeof(*nv))) == NULL)
			return -1;
		h->v = nv;
		h->cap = ncap;
	}
	h->v[h->n].pos = (uint32_t)pos;
	h->v[h->n].id = id;
	h->v[h->n].len = len;
	h->n++;
	return 0;
}

/* Index of the list, or -1 when it is not indexed. */
static int
kw_list(const char *const *list)
{
	size_t l;

	for (l = 0; l < NINDEXED; l++)
		if (indexed[l] == list)
			return (int)l;
	return -1;
}

/* First hit at or after pos. */
size_t
kw_hits_from(const struct kw_hits *h, size_t pos)
{
	size_t lo = 0, hi = h->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->v[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Nearest keyword of a list ending before pos in [a, pos): its position
   (-1 none). */
static long
nearest_before(const char *s, size_t a, size_t pos, const char *const *list)
{
	long best = -1, p;

	for (; *list != NULL; list++) {
		if (strcmp(*list, "cir") == 0) {
			size_t from = a;
			long q, last = -1;

			while ((q = ft_find_word(s, from, pos, "cir")) >= 0) {
				last = q;
				from = (size_t)q + 1;
			}
			p = last;
		} else
			p = ft_rfind_kw(s, a, pos, *list);
		if (p > best)
			best = p;
	}
	return best;
}

void
doc_unindex(struct doc *d)
{
	size_t l;

	if (d->hits != NULL)
		for (l = 0; l < NINDEXED; l++)
			free(d->hits[l].v);
	free(d->hits);
	d->hits = NULL;
}

/* Scan the doc once for every indexed keyword (see above). */
int
doc_index(struct doc *d)
{
	const struct kw_table *t = kw_table_get();
	const char *s = d->f.s;
	size_t i, len = d->f.len;
	uint16_t k;

	if ((d->hits = calloc(NINDEXED, sizeof(*d->hits))) == NULL)
		return -1;
	d->bad = t->bad;
	for (i = 0; i + 3 <= len; i++) {
		for (k = t->head[kw_hash(s + i)]; k != KW_NONE; k = t->e[k].next) {
			const struct kw_entry *e = &t->e[k];

			if (e->len > len - i || !ft_eq(s + i, e->w, e->len))
				continue;
			/* a keyword starts a word (it may be a stem:
			   "convoqu"): "cir" is not in "cuir", "test" not
			   in "attestation" */
			if (i > 0 && ascii_is_wordnum((unsigned char)s[i - 1]) &&
			    ascii_is_wordnum((unsigned char)e->w[0]))
				continue;
			if (kw_push(&d->hits[e->list], i, e->id, e->len) == -1)
				return -1;
		}
	}
	return 0;
}

/* The positions of list's keywords in the doc, or NULL when the doc
   has no index for it (then search the text). */
const struct kw_hits *
doc_hits(const struct doc *d, const char *const *list)
{
	int l;

	if (d->hits == NULL || (l = kw_list(list)) < 0 || d->bad[l])
		return NULL;
	return &d->hits[l];
}

/* ft_any() on the doc's folded text: a keyword of list inside [a, b). */
int
dany(const struct doc *d, size_t a, size_t b, const char *const *list)
{
	const struct kw_hits *h;
	size_t j;

	if ((h = doc_hits(d, list)) == NULL)
		return ft_any(d->f.s, a, b, list);
	for (j = kw_hits_from(h, a); j < h->n && h->v[j].pos < b; j++)
		if (h->v[j].pos + h->v[j].len <= b)
			return 1;
	return 0;
}

/* A keyword of list before folded pos in its sentence, at most max bytes
   before it. */
int
dany_in_sentence_before(const struct doc *d, size_t pos, size_t max,
    const char *const *list)
{
	size_t a, b;

	ft_sentence(d->f.s, d->f.len, pos, &a, &b);
	if (pos - a > max)
		a = pos - max;
	return dany(d, a, pos, list);
}

/* ft_any_word() on the doc's folded text. */
int
dany_word(const struct doc *d, size_t a, size_t b, const char *const *list)
{
	const struct kw_hits *h;
	size_t j, p;

	if ((h = doc_hits(d, list)) == NULL)
		return ft_any_word(d->f.s, a, b, list);
	for (j = kw_hits_from(h, a); j < h->n && h->v[j].pos < b; j++) {
		p = h->v[j].pos;
		if (p + h->v[j].len <= b && (p == 0 ||
		    !ascii_is_wordnum((unsigned char)d->f.s[p - 1])))
			return 1;
	}
	return 0;
}

/* nearest_before() on the doc's folded text ("cir" as a whole word). */
long
dnearest_before(const struct doc *d, size_t a, size_t pos,
    const char *const *list)
{
	const struct kw_hits *h;
	const char *s = d->f.s;
	size_t j, p, n;

	if ((h = doc_hits(d, list)) == NULL)
		return nearest_before(s, a, pos, list);
	for (j = kw_hits_from(h, pos); j-- > 0 && h->v[j].pos >= a;) {
		p = h->v[j].pos;
		n = h->v[j].len;
		if (p + n > pos)
			continue;
		if (strcmp(list[h->v[j].id], "cir") == 0 && ((p > 0 &&
		    ascii_is_wordnum((unsigned char)s[p - 1])) || (p + n < pos &&
		    ascii_is_wordnum((unsigned char)s[p + n]))))
			continue;
		return (long)p;
	}
	return -1;
}

/* The first keyword of list inside folded [a, b) of the doc: its position
   (-1 none); "cir" as a whole word, as in dnearest_before(). */
long
dfirst_after(const struct doc *d, size_t a, size_t b,
    const char *const *list)
{
	const struct kw_hits *h;
	const char *s = d->f.s;
	size_t j, p, n, k;
	long best = -1, q;

	if ((h = doc_hits(d, list)) != NULL) {
		for (j = kw_hits_from(h, a); j < h->n && h->v[j].pos < b; j++) {
			p = h->v[j].pos;
			n = h->v[j].len;
			if (p + n > b)
				continue;
			if (strcmp(list[h->v[j].id], "cir") == 0 && ((p > 0 &&
			    ascii_is_wordnum((unsigned char)s[p - 1])) ||
			    (p + n < b && ascii_is_wordnum((unsigned char)
			    s[p + n]))))
				continue;
			return (long)p;
		}
		return -1;
	}
	for (k = 0; list[k] != NULL; k++) {
		q = strcmp(list[k], "cir") == 0 ? ft_find_word(s, a, b, "cir") :
		    ft_find_kw(s, a, b, list[k]);
		if (q >= 0 && (best < 0 || q < best))
			best = q;
	}
	return best;
}
