"""Reply classification, intents and small slot extractors (payment, location, counts, budget).

All functions are pure and work on English, Spanish and German (texting style, emoji, all caps).

``classify_reply`` answers "Shall I book it?"-type questions:

1. a change cue ("instead", "different time", "earlier", "stattdessen", "en vez de") -> "change";
   a weak change cue ("actually", "how about", "can we do", "lieber", "mejor", "move", "but") together
   with a date/time -> "change";
2. a leading "no"/"nein"/"nope" followed by a date/time ("no, Friday at 2") -> "change";
3. "yes ... but <date/time>" -> "change";
4. refusals ("no", "not yet", "don't book", "doesn't work", "noch nicht", "todavía no") -> "no"
   ("no problem"/"no worries" are agreement);
5. agreement ("yes", "ok", "sounds good", "book it", "👍", "sí", "vale", "ja", "passt") -> "yes";
6. only a date/time ("Friday at 2 then") -> "change"; otherwise None.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Sequence

from ._text import fold_str
from .when import mentions_when

__all__ = [
    "INTENTS", "classify_reply", "detect_intents", "extract_payment_choice", "extract_location",
    "extract_people_count", "extract_children", "extract_guest_count", "extract_budget",
]

INTENTS = frozenset({"book", "availability", "price", "reschedule", "cancel", "recommend", "services", "human",
                     "greeting", "thanks", "my_bookings", "other_client_data", "injection"})


def _f(text: str) -> str:
    """Fold and squeeze whitespace; keep emoji."""
    return re.sub(r"\s+", " ", fold_str(text)).strip()


# --------------------------------------------------------------------------------------------------
# classify_reply
# --------------------------------------------------------------------------------------------------

_YES_EMOJI = re.compile("[\U0001F44D\U0001F44C\u2705\u2714\U0001F64C\U0001F44F\U0001F929\U0001F60A\U0001F642\U0001F600\U0001F389\u263A\u2764\U0001F64F]")
_NO_EMOJI = re.compile("[\U0001F44E\u274C\u2716\U0001F6AB]")

_YES_WORDS = (
    r"yes+|yeah+|yea+|ye|yep+|yup+|ya|yah|yass+|sure|surely|ok+|okay+|okey|okie|k|kk|alright|all\s+right|aight|"
    r"sounds?\s+(?:good|great|perfect|fine|lovely|amazing|awesome)|looks?\s+(?:good|great|perfect|fine)|"
    r"perfect|perfecto|perfecta|perfekt|great|awesome|excellent|lovely|wonderful|fantastic|brilliant|amazing|"
    r"book\s+it|book\s+me|please\s+book|go\s+ahead|go\s+for\s+it|do\s+it|let'?s\s+do\s+it|lets\s+do\s+it|"
    r"let'?s\s+go|confirm(?:ed)?|i\s+confirm|please\s+confirm|that\s+works|works\s+for\s+me|works|"
    r"that'?s\s+fine|fine|fine\s+by\s+me|absolutely|definitely|of\s+course|correct|right|exactly|"
    r"yes\s+please|please\s+do|deal|agreed|no\s+problem|no\s+worries|no\s+prob|why\s+not|good|cool|"
    r"si|sip|claro|vale|de\s+acuerdo|dale|venga|adelante|confirmo|confirmado|correcto|esta\s+bien|bien|genial|"
    r"estupendo|por\s+supuesto|me\s+parece\s+bien|reservalo|reserva(?:lo)?|ok\s+dale|"
    r"ja+|jawohl|jep|jo|joa|gerne|gern|passt|passt\s+so|passt\s+gut|genau|klar|na\s+klar|einverstanden|"
    r"bitte\s+buchen|buchen|bestatigen|bestatigt|super|prima|alles\s+klar|in\s+ordnung|gut|sehr\s+gut|"
    r"machen\s+wir|mach\s+das|top|geht\s+klar|ja\s+bitte|bitte|please"
)
_YES_START = re.compile(r"^\W*(?:" + _YES_WORDS + r")\b")
_YES_ANY = re.compile(
    r"\b(?:yes|yeah|yep|sure|ok|okay|sounds\s+(?:good|great|perfect)|perfect|book\s+it|please\s+book|go\s+ahead|"
    r"please\s+confirm|confirm|that\s+works|works\s+for\s+me|let'?s\s+do\s+it|move\s+it|please\s+do|"
    r"si|claro|vale|de\s+acuerdo|perfecto|adelante|confirmo|reservalo|ja|gerne|passt|genau|einverstanden|"
    r"bitte\s+buchen|bestatigen|alles\s+klar|in\s+ordnung|mach\s+das|machen\s+wir)\b")
_NO_START = re.compile(r"^\W*(?:no+|nope|nah|naw|nein|nee|ne|non|negative|not\s+really|not\s+yet|not\s+now)\b(?!\s+(?:problem|worries|prob|te\s+preocupes|pasa\s+nada))")
_NO_ANY = re.compile(
    r"\b(?:not\s+yet|not\s+now|not\s+right\s+now|not\s+really|no\s+thanks|no\s+thank\s+you|never\s*mind|"
    r"don'?t\s+(?:book|confirm|do|go)|do\s+not\s+(?:book|confirm)|dont\s+book|hold\s+(?:on|off)|wait|"
    r"not\s+sure|let\s+me\s+think|i'?ll\s+think|need\s+to\s+think|let\s+me\s+check|i'?ll\s+check|"
    r"i\s+need\s+to\s+check|forget\s+it|doesn'?t\s+work|does\s+not\s+work|won'?t\s+work|not\s+(?:good|great|ideal)|"
    r"can'?t\s+make\s+it|cannot\s+make\s+it|not\s+(?:available|free)|i'?m\s+not\s+(?:available|free)|"
    r"todavia\s+no|aun\s+no|mejor\s+no|no\s+gracias|espera|no\s+me\s+(?:viene|va)\s+bien|no\s+puedo|"
    r"ahora\s+no|noch\s+nicht|lieber\s+nicht|doch\s+nicht|warte|moment\s+mal|abbrechen|vergiss\s+es|"
    r"passt\s+(?:mir\s+)?(?:leider\s+)?nicht|geht\s+(?:leider\s+)?nicht|klappt\s+(?:leider\s+)?nicht|"
    r"kann\s+(?:leider\s+)?nicht|jetzt\s+nicht|cancel)\b")
_CHANGE_STRONG = re.compile(
    r"\b(?:instead|stattdessen|statt\s+dessen|en\s+vez|en\s+lugar|"
    r"(?:a\s+)?(?:different|another|other)\s+(?:time|day|date|slot|week|hour)|"
    r"otro\s+(?:dia|horario|momento)|otra\s+(?:hora|fecha|semana)|"
    r"(?:einen\s+)?anderen\s+(?:tag|termin|zeitpunkt)|(?:eine\s+)?andere\s+(?:zeit|uhrzeit|woche)|"
    r"earlier|later\s+(?:in\s+the|that|on|time|slot|please|date|day)|"
    r"(?:a\s+bit|a\s+little|slightly|any)\s+later|frueher|fruher|spater|spaeter|"
    r"mas\s+tarde|mas\s+temprano|"
    r"(?:can|could)\s+we\s+(?:change|move|switch|reschedule)|(?:i'?d|i\s+would)\s+like\s+to\s+(?:change|move)|"
    r"(?:i\s+)?want\s+to\s+(?:change|move)|reschedule|cambiar\s+(?:la|el)\s+(?:hora|dia|fecha)|"
    r"(?:lieber|besser)\s+(?:ein|einen|eine|am|um|an|in|nachste|nachsten|morgen|ubermorgen)|"
    r"mejor\s+(?:el|la|a\s+las|otro|otra|manana|pasado|en))\b")
_CHANGE_WEAK = re.compile(
    r"\b(?:actually|how\s+about|what\s+about|can\s+we\s+do|could\s+we\s+do|can\s+we\s+make\s+it|"
    r"could\s+we\s+make\s+it|make\s+it|rather|prefer|would\s+prefer|i'?d\s+prefer|switch|change|move|"
    r"lieber|besser|mejor|prefiero|preferiria|preferimos|cambiar|cambia|verschieben|andern|aber|but|pero|"
    r"or|oder|wait|instead|then|dann|entonces|ok\s+then|can\s+i\s+(?:do|get|have)|is\s+.+\s+possible|"
    r"is\s+there\s+anything|do\s+you\s+have|geht\s+auch|ginge\s+auch|tienen|hay)\b")
_CONTRAST = re.compile(r"\b(?:but|aber|pero|however|though|sino|only\s+if|just\s+(?:change|move|make))\b")


def classify_reply(text: str, lang: str | None = None) -> str | None:
    """"yes", "no", "change" or None for a reply to a booking confirmation question."""
    if not text or not text.strip():
        return None
    t = _f(text)
    has_when = mentions_when(text, lang)
    if _CHANGE_STRONG.search(t):
        return "change"
    if has_when and _CHANGE_WEAK.search(t):
        # "yes, move it to Friday" is a change; "Yes, Thursday at 10 works" is a yes (handled below)
        if not (_YES_START.match(t) and not _CONTRAST.search(t) and not re.search(
                r"\b(?:how|what)\s+about|can\s+we|could\s+we|instead|rather|prefer|lieber|mejor|prefiero|make\s+it", t)):
            return "change"
    if _NO_START.match(t):
        return "change" if has_when else "no"
    if _YES_START.match(t) and has_when and _CONTRAST.search(t):
        return "change"
    if _NO_EMOJI.search(text):
        return "no"
    if _YES_START.match(t) and re.search(r"\bcancel", t) and not _NO_ANY.search(re.sub(r"\bcancel\w*", " ", t)):
        return "yes"  # "Yes, cancel it please" answers "shall I cancel it?"
    if _NO_ANY.search(t):
        return "no"
    if _YES_START.match(t) or _YES_ANY.search(t) or _YES_EMOJI.search(text):
        return "yes"
    if has_when:
        return "change"
    return None


# --------------------------------------------------------------------------------------------------
# detect_intents
# --------------------------------------------------------------------------------------------------

_I = lambda p: re.compile(p)  # noqa: E731

_INTENT_RX: dict[str, re.Pattern] = {
    "book_strong": _I(
        r"\b(?:book(?!ings?\b|ed\b|s\b)|reserve|schedule\s+(?:a|an|my|me|us)|sign\s+(?:me|us)\s+up|set\s+up\s+a|"
        r"make\s+an?\s+(?:appointment|booking|reservation)|i'?d\s+like\s+(?:a|an|to\s+(?:get|have|book|schedule|do))|"
        r"i\s+(?:want|need)\s+(?:a|an|to\s+book|to\s+schedule|some)|we\s+(?:want|need|would\s+like)\s+(?:a|an|to\s+book)|"
        r"can\s+i\s+(?:get|have|book)\s+(?:a|an)|could\s+i\s+(?:get|have|book)|looking\s+to\s+(?:book|schedule)|"
        r"interested\s+in\s+(?:a|an|booking|your)|we'?d\s+(?:like|love)\s+(?:a|an|to)|"
        r"reservar|agendar|quiero\s+(?:una|un|reservar|agendar|hacer)|quisiera|quisieramos|queremos\s+(?:una|un|reservar)|"
        r"me\s+gustaria\s+(?:reservar|una|un|agendar)|nos\s+gustaria|buchen|reservieren|"
        r"termin\s+(?:machen|vereinbaren|ausmachen)|mochte\s+(?:gerne?\s+)?(?:einen|ein|eine|buchen)|"
        r"mochten\s+(?:gerne?\s+)?(?:einen|ein|eine|buchen)|hatte\s+gern|hatten\s+gern|brauche\s+(?:einen|ein|eine|neue))"),
    "book_weak": _I(r"\b(?:booking|appointment|session|cita|termin|sesion|shoot)\b"),
    "availability": _I(
        r"\b(?:availab\w*|any\s+(?:openings?|slots?|times?|availability|space|room|spots?)|openings?|open\s+slots?|"
        r"free\s+slots?|what\s+times?|which\s+times?|what\s+days?|which\s+days?|what\s+dates?|"
        r"when\s+(?:are\s+you|can\s+(?:i|we)|could\s+(?:i|we)|is\s+the\s+(?:next|earliest|first)|do\s+you\s+have|r\s+u)|"
        r"earliest|soonest|next\s+(?:available|opening|free|slot)|do\s+(?:you|u)\s+have\s+(?:any(?:thing)?|time|space|room|something|a\s+slot|slots)|"
        r"(?:are|r)\s+(?:you|u)\s+(?:free|open|available)|any\s+chance|is\s+(?:there|it)\s+(?:a\s+slot|anything|any\s+time)|"
        r"(?:is|are)\s+\w+(?:\s+\w+)?\s+(?:free|open)\b|what\s+(?:do\s+(?:you|u)\s+have|have\s+you\s+got)|"
        r"disponib\w*|huecos?|horarios?|que\s+horas?|tienen\s+(?:algo|tiempo|espacio|hueco|sitio)|"
        r"cuando\s+(?:puedo|podemos|tienen|hay|estan)|hay\s+(?:algo|hueco|espacio|sitio|disponibilidad)|"
        r"freie?n?\s+(?:termine?|zeiten|slots?)|noch\s+(?:was|etwas|termine?|platz)\s+frei|ist\s+.{1,30}\s+frei|"
        r"verfugbar\w*|wann\s+(?:haben|hatten|konnen|ginge|geht|ware)|haben\s+sie\s+(?:zeit|noch|am|einen\s+termin)|"
        r"hast\s+du\s+(?:zeit|noch))\b"),
    "price": _I(
        r"\b(?:how\s+much|price\w*|cost\w*|rates?|fees?|quote|charge[sd]?|expensive|cheap\w*|afford\w*|"
        r"budget|total|cuanto|cuesta|cuestan|costar\w*|precio\w*|tarifa\w*|coste|costo|presupuesto|caro|"
        r"kostet|kosten|preis\w*|wie\s+teuer|teuer|gebuhr\w*|was\s+verlangen\s+sie|"
        r"(?:what|which|how\s+big\s+(?:a|is\s+the)|is\s+there\s+a|do\s+(?:i|we)\s+(?:need|have)\s+to\s+pay\s+a)\s+(?:\w+\s+)?deposit|"
        r"deposit\s+(?:do|would|should|is|amount)|"
        r"(?:what|which)\s+(?:extras|add-?ons|upgrades)|"
        r"(?:fastest|quickest|cheapest|most\s+affordable)\s+(?:option|package|choice|one|way|turnaround)|"
        r"que\s+(?:anticipo|deposito)|cuanto\s+(?:es\s+el\s+)?(?:anticipo|deposito)|"
        r"wie\s+(?:hoch|viel)\s+(?:ist\s+)?(?:die\s+)?anzahlung|welche\s+(?:extras|zusatze|zusatzoptionen))\b"),
    "reschedule": _I(
        r"\b(?:re-?schedul\w*|move\s+(?:my|the|our|it|this|that)|moving\s+(?:my|the|our)|"
        r"change\s+(?:my|the|our)\s+(?:date|time|booking|appointment|session|slot|day|reservation)|"
        r"change\s+(?:the\s+)?(?:date|time|day)|can\s+we\s+change|could\s+we\s+change|push\s+(?:it\s+|my\s+\w+\s+)?back|"
        r"postpone\w*|bring\s+(?:it\s+)?forward|switch\s+(?:my|the)\s+(?:date|time|session|appointment|booking)|"
        r"cambiar\s+(?:mi|la|el|de)\s+(?:cita|fecha|hora|reserva|sesion|dia)|cambiar\s+mi|mover\s+(?:mi|la|el)|"
        r"reprogram\w*|aplazar|posponer|cambio\s+de\s+(?:fecha|hora|cita)|"
        r"verschieb\w*|verlegen|umbuchen|umlegen|anderen\s+termin|termin\s+andern|termin\s+aendern)\b"),
    # "could my Dec 1 session start at 1pm instead" (needs a date/time too, checked in detect_intents)
    "reschedule_soft": _I(
        r"\b(?:my|our|mi|mis|nuestra|nuestro|meine?n?|unsere?n?)\b(?:\s+\S+){0,3}\s+(?:session|booking|appointment|"
        r"shoot|wedding|headshots|portrait|sesion|cita|reserva|boda|termin|shooting|hochzeit|buchung)\b.*"
        r"\b(?:instead|move|moving|shift|push|change|start\s+at|earlier|later|en\s+vez|cambiar|mover|verschieben|"
        r"verlegen|stattdessen|spater|fruher)\b"),
    "cancel": _I(r"\b(?:cancel\w*|call\s+(?:it\s+)?off|cancelar|cancela\w*|anular|absagen|abzusagen|sage\s+\w+\s+ab|"
                 r"stornier\w*|storno)\b"),
    "recommend": _I(
        r"\b(?:recommend\w*|suggest\w*|which\s+(?:package|one|service|session|option|shoot)|"
        r"what\s+(?:package|service|session|option)\s+(?:should|would|do|is)|what\s+(?:should|would)\s+(?:i|we)\s+(?:book|get|choose|pick|go\s+for)|"
        r"best\s+(?:option|package|choice|fit|for\s+(?:me|us))|(?:fastest|quickest|cheapest)\s+(?:option|package|choice)|advice|advise|help\s+me\s+(?:choose|decide|pick)|"
        r"not\s+sure\s+(?:which|what)|what\s+would\s+you\s+(?:do|suggest|recommend)|"
        r"recomiend\w*|recomend\w*|aconsej\w*|que\s+me\s+(?:sugieres|sugiere)|cual\s+(?:me\s+)?(?:conviene|es\s+mejor)|"
        r"que\s+paquete|empfehl\w*|welches\s+paket|was\s+wurden\s+sie|was\s+wurdest\s+du|was\s+passt\s+am\s+besten|"
        r"was\s+raten\s+sie|beraten)\b"),
    "services": _I(
        r"\b(?:what\s+(?:services|do\s+(?:you|u)\s+offer|kind\s+of\s+(?:sessions|shoots|photos|photography|services)|types?\s+of|sessions|packages|do\s+you\s+do)|"
        r"which\s+services|do\s+(?:you|u)\s+(?:do|offer|have)\s+(?:sessions?|shoots?|photos|photography|headshots|weddings?|portraits?|packages|services|family|branding|newborn\w*|events?|mini)|"
        r"do\s+(?:you|u)\s+(?:do|offer)\b|your\s+(?:services|packages|offerings|menu)|services|packages|"
        r"que\s+servicios|que\s+ofrece\w*|servicios|paquetes|hacen\s+(?:bodas|retratos|fotos|sesiones)|ofrecen|"
        r"was\s+bieten\s+sie|was\s+bietest\s+du|welche\s+(?:leistungen|pakete|angebote|shootings)|leistungen|"
        r"bieten\s+sie|machen\s+sie\s+auch)\b"),
    "human": _I(
        r"\b(?:human|real\s+person|a\s+person|someone\s+real|actual\s+person|"
        r"(?:talk|speak|chat)\s+(?:to|with)\s+(?:someone|somebody|a\s+person|the\s+(?:owner|photographer|manager|boss|studio)|you\s+directly|her|him|a\s+real)|"
        r"call\s+me\s+back|(?:can|could)\s+(?:someone|somebody|you|she|he)\s+(?:call|phone|ring)\s+me|operator|live\s+agent|"
        r"agent|representative|persona\s+real|(?:hablar|habla)\s+con\s+(?:alguien|una\s+persona|el\s+fotografo|la\s+fotografa|el\s+dueno|la\s+duena|un\s+humano)|"
        r"un\s+humano|mensch\w*|echten\s+person|mit\s+jemandem\s+(?:sprechen|reden)|"
        r"mit\s+(?:dem|der)\s+(?:fotografen|fotografin|inhaber|inhaberin|chef|chefin)\s+(?:sprechen|reden))\b"),
    "greeting": _I(
        r"^\W*(?:hi|hii+|hello|helo|hey+|heya|hiya|howdy|yo|good\s+(?:morning|afternoon|evening|day)|greetings|"
        r"hola|buenos\s+dias|buenas(?:\s+tardes|\s+noches)?|hallo|guten\s+(?:morgen|tag|abend)|servus|moin|"
        r"gruss\s+gott|gruezi|griass\s+di|dear|hi\s+there|morning)\b"),
    "thanks": _I(r"\b(?:thanks|thank\s+you|thank\s+u|thx|thnx|ty|tysm|cheers|appreciate\s+it|much\s+appreciated|"
                 r"gracias|muchas\s+gracias|danke\w*|vielen\s+dank|besten\s+dank|merci)\b"),
    "my_bookings": _I(
        r"\b(?:(?:when|what\s+time|what\s+day|which\s+day|where)\s+is\s+my|"
        r"do\s+i\s+(?:have|still\s+have)\s+(?:a|an|any)\s+(?:booking|appointment|session|reservation)|"
        r"(?:check|see|view|show|list|look\s+up|details\s+(?:of|for|on)|remind\s+me\s+(?:of|about))\s+(?:me\s+)?my|"
        r"my\s+(?:upcoming|next|current|existing|confirmed)\s+(?:booking|appointment|session|reservation)s?|"
        r"my\s+(?:bookings|appointments|sessions|reservations)|is\s+my\s+(?:booking|appointment|session)\s+(?:confirmed|still)|"
        r"mis\s+(?:citas|reservas|sesiones)|cuando\s+es\s+mi|tengo\s+(?:una\s+)?(?:cita|reserva)|ver\s+mi|"
        r"meine\s+(?:buchungen|termine|sitzungen)|wann\s+ist\s+mein|habe\s+ich\s+(?:einen|noch\s+einen)\s+termin)\b"),
    "other_client_data": _I(
        r"(?:\b(?:other|another)\s+(?:clients?|customers?|people'?s?|person'?s?|bookings)|someone\s+else'?s?|"
        r"\bwho\s+(?:else\s+)?(?:has|is|have)\s+(?:booked|booking|coming|scheduled)|\bwho\s+(?:else\s+)?booked|"
        r"\bclient\s+list|\bcustomer\s+list|\blist\s+(?:of\s+)?(?:all\s+)?(?:your\s+)?(?:clients|customers|bookings|appointments)|"
        r"\ball\s+(?:the\s+|your\s+)?(?:clients|customers|bookings|appointments|emails|phone\s+numbers|contacts)|"
        r"\b(?:emails?|e-mails?|phone\s+numbers?|numbers|addresses|contact\s+details)\s+of\s+(?:your\s+)?(?:clients|customers|other|people|everyone)|"
        r"\botros\s+clientes|\bdatos\s+de\s+(?:otros|otra|otro|los\s+clientes)|\bquien\s+(?:mas\s+)?(?:ha\s+)?reservado|"
        r"\bandere[rn]?\s+kunden|\bwer\s+(?:hat|noch|sonst)\s+(?:\w+\s+)?gebucht|\bdaten\s+(?:von\s+)?anderer|\bkundenliste)"),
    "injection": _I(
        r"(?:\bignore\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+)*(?:previous|prior|above|earlier|preceding|former|system)?\s*"
        r"(?:instructions?|rules|prompts?|directions|guidelines)|\bdisregard\s+(?:all\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+)*"
        r"(?:instructions?|rules|prompts?)|\bforget\s+(?:all\s+|your\s+|the\s+|previous\s+)*(?:instructions?|rules)|"
        r"\byou\s+are\s+now\b|\bfrom\s+now\s+on,?\s+you\b|\bact\s+as\s+(?:an?\s+)?(?:admin|administrator|developer|system|dan|different|the\s+owner)|"
        r"\bpretend\s+(?:to\s+be|you\s+are|you're)|\bsystem\s*prompt|\bdeveloper\s+mode|\bdev\s+mode|\bjailbreak|\bdan\s+mode|"
        r"\bi\s+am\s+(?:the\s+|an\s+)?(?:admin|administrator|owner|developer|system|studio\s+owner)\b|"
        r"\bi'?m\s+(?:the\s+|an\s+)?(?:admin|administrator|owner|developer|studio\s+owner)\b|\bas\s+(?:the\s+|an\s+)?admin\b|"
        r"\badmin\s+(?:mode|access|override|password|privileges|rights)|\boverride\b|\bnew\s+instructions|"
        r"\b(?:reveal|show|print|repeat|output)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+)?(?:prompt|instructions|rules)|"
        r"<\|im_start\|>|<\|system\|>|<\|endoftext\|>|\[system\]|\[inst\]|#{2,}\s*(?:system|instruction|admin|developer)|\bsudo\b|"
        r"</?\s*(?:system|assistant|instructions?|admin|developer)\s*>|\bdebug\s+mode\b|\bhidden\s+(?:instructions|prompt)\b|"
        r"\b(?:client|customer|booking|user)s?\s+(?:table|database)\b|"
        r"\bset\s+(?:the\s+)?price\s+to|\bmake\s+it\s+free\b|\b100\s*%\s+(?:off|discount)|\bgive\s+me\s+(?:a\s+)?free\b|"
        r"\bignora\s+(?:todas\s+)?(?:las\s+)?instrucciones|\bolvida\s+(?:todas\s+)?(?:las\s+)?instrucciones|\bahora\s+eres\b|"
        r"\beres\s+ahora\b|\bsoy\s+el\s+(?:administrador|admin|dueno|propietario)|\bsoy\s+la\s+(?:administradora|duena|propietaria)|"
        r"\bignorier\w*\s+(?:alle\s+)?(?:vorherigen\s+|bisherigen\s+)?(?:anweisungen|instruktionen|regeln)|"
        r"\bvergiss\s+(?:alle\s+)?(?:vorherigen\s+|bisherigen\s+)?(?:anweisungen|regeln)|\bdu\s+bist\s+(?:jetzt|nun|ab\s+sofort)\b|"
        r"\bich\s+bin\s+(?:der|die)\s+(?:admin|administrator|administratorin|inhaber|inhaberin|entwickler|besitzer|besitzerin))"),
}
_OTHER_POSSESSIVE = re.compile(
    r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:'s|’s|s')\s+(?:e-?mail|phone|number|booking|appointment|session|address|details|"
    r"contact|info|reservation|shoot)")
_OTHER_OF = re.compile(
    r"\b(?i:e-?mail|phone(?:\s+number)?|number|address|booking|appointment|session|contact|details|info|"
    r"tel[eé]fono|n[uú]mero|correo(?:\s+electr[oó]nico)?|direcci[oó]n|cita|reserva|sesi[oó]n|datos|"
    r"telefonnummer|handynummer|nummer|adresse|termin|buchung|kontaktdaten|daten)\s+"
    r"(?:of|for|from|de|del|von)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")
#: German possessive without apostrophe: "Wann ist Priyas Termin?", "Gib mir Toms Telefonnummer"
_OTHER_DE_POSS = re.compile(
    r"\b([A-Z][a-z]+)s\s+(?:Termin|Buchung|Telefonnummer|Handynummer|Nummer|E-Mail|Email|Adresse|Kontaktdaten|Daten|Shooting)\b")
_TALK_TO_NAME = re.compile(r"\b(?:talk|speak|chat)\s+(?:to|with)\s+([A-Z][a-z]+)\b|\b(?:hablar)\s+con\s+([A-Z][a-z]+)\b|"
                           r"\bmit\s+([A-Z][a-z]+)\s+(?:sprechen|reden)\b")
_NOT_NAMES = {"I", "My", "The", "This", "That", "It", "You", "Your", "We", "Our", "Me", "Someone", "Somebody", "Us",
              "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "December", "January"}


_PRICE_RX = _INTENT_RX["price"]
_ADDRESSES = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
#: a surname that is also a price word: "Ava Price", "I'm Tom Rate, tom@..."
_NAME_PRICE = re.compile(
    r"(?:^\W*|\b(?i:i'?m|im|i\s+am|this\s+is|name\s+is|it'?s|soy|bin)\s+|[,;]\s*|\n)[A-Z][a-z]+\s+(?:Price|Rate|Cost|Fee|Quote)"
    r"(?=\s*(?:$|[,.!;\n<(-]|[\w.+-]+@))")


def detect_intents(text: str, lang: str | None = None, owner_names: Sequence[str] = (),
                   own_name: str | None = None) -> set[str]:
    """Intents found in one client message (see ``INTENTS``)."""
    if not text or not text.strip():
        return set()
    text = _ADDRESSES.sub(" ", text)  # words inside "ava.price@…" or a URL are not what the client asks
    t = _f(text)
    found: set[str] = set()
    for name, rx in _INTENT_RX.items():
        if rx.search(t):
            found.add(name)
    strong = "book_strong" in found
    weak = "book_weak" in found
    if "reschedule_soft" in found and mentions_when(text, lang):
        found.add("reschedule")
    found -= {"book_strong", "book_weak", "reschedule_soft"}
    if "price" in found and _NAME_PRICE.search(text) and not _PRICE_RX.search(_f(_NAME_PRICE.sub(" ", text))):
        found.discard("price")  # "Ava Price" is a name
    if strong or (weak and not found & {"reschedule", "cancel", "my_bookings", "price", "availability",
                                         "services", "other_client_data"}):
        if strong or re.search(r"\b(?:a|an|una|un|einen|ein|eine)\s+(?:\w+\s+){0,2}(?:session|shoot|appointment|cita|termin|sesion)\b", t):
            found.add("book")
    owners = {fold_str(o).split()[0] for o in owner_names if o and o.strip()}
    own = {fold_str(w) for w in (own_name or "").split()}
    for m in _TALK_TO_NAME.finditer(text):
        who = next(g for g in m.groups() if g)
        if who not in _NOT_NAMES:
            found.add("human")
    for o in owners:
        if re.search(rf"\b(?:talk|speak|chat|get)\s+(?:to|with|hold\s+of)\s+{re.escape(o)}\b|\b{re.escape(o)}\s+(?:directly|herself|himself|please)\b|"
                     rf"\bhablar\s+con\s+{re.escape(o)}\b|\bmit\s+{re.escape(o)}\s+(?:sprechen|reden)\b", t):
            found.add("human")
        if re.search(rf"\b(?:i\s+am|i'?m|this\s+is|soy|ich\s+bin)\s+{re.escape(o)}\b", t) and re.search(
                r"\b(?:admin|owner|photographer|studio|inhaber|duena|dueno|access|override|give|show|list|all)\b", t):
            found.add("injection")
    for rx in (_OTHER_POSSESSIVE, _OTHER_OF, _OTHER_DE_POSS):
        for m in rx.finditer(text):
            who = m.group(1)
            if who.split()[0] in _NOT_NAMES or fold_str(who.split()[0]) in own:
                continue
            if fold_str(who.split()[0]) in owners and rx is _OTHER_OF:
                continue
            found.add("other_client_data")
    return found


# --------------------------------------------------------------------------------------------------
# payment choice
# --------------------------------------------------------------------------------------------------

_PAY_NO_DEPOSIT = re.compile(
    r"\b(?:no|without|skip\s+the|don'?t\s+want\s+(?:to\s+pay\s+)?(?:a|the)|rather\s+not\s+pay\s+(?:a|the))\s+deposit|"
    r"\bsin\s+(?:anticipo|deposito|sena|adelanto)|\bohne\s+anzahlung|\bkeine\s+anzahlung")
_PAY_DEPOSIT = re.compile(
    r"\bdeposit\b|\bpay\s+(?:now|online|upfront|up\s+front|in\s+advance|by\s+card|with\s+(?:a\s+)?card|ahead)|"
    r"\bprepay|\bpay\s+(?:it\s+)?(?:all\s+)?(?:now|today|online)|\banticipo\b|\bdeposito\b|\bsena\b|\badelanto\b|"
    r"\bpagar\s+(?:ahora|por\s+adelantado|online|en\s+linea)|\bpago\s+(?:por\s+adelantado|ahora|online)|\banzahl\w*|"
    r"\bjetzt\s+(?:zahlen|bezahlen)|\bvorab\s+(?:zahlen|bezahlen)|\bvorauszahlung|\bonline\s+(?:zahlen|bezahlen)|"
    r"\bvorkasse")
_PAY_AT_SESSION = re.compile(
    r"\bpay\w*\s+(?:(?:for\s+)?(?:it|everything|the\s+rest|in\s+full|the\s+full\s+amount|the\s+balance)\s+)?"
    r"(?:at|on|during|after)\s+(?:the\s+)?(?:session|shoot|day|studio|appointment|door|time)|"
    r"\bpay\w*\s+(?:(?:it|everything)\s+)?(?:in\s+person|later|there|on\s+site|onsite|on\s+the\s+day|when\s+(?:i|we)\s+(?:arrive|get\s+there|come)|then)|"
    r"\b(?:in\s+)?cash\b|\bpago\s+en\s+(?:la\s+)?sesion|\bpag(?:ar|are|aremos|o)\s+(?:en\s+(?:la\s+)?sesion|el\s+dia|en\s+persona|alli|despues|"
    r"al\s+llegar|en\s+el\s+estudio|en\s+efectivo|ese\s+dia|ahi)|\ben\s+efectivo|"
    r"\bvor\s+ort\s+(?:zahlen|bezahlen)|\b(?:zahle|bezahle|zahlen|bezahlen)\s+(?:ich\s+|wir\s+)?(?:gerne\s+)?(?:vor\s+ort|am\s+tag|"
    r"beim\s+termin|bar|spater|bei\s+der\s+sitzung|im\s+studio|dann)|\bbarzahlung|\bin\s+bar\b|\bbar\s+(?:zahlen|bezahlen)")


def extract_payment_choice(text: str) -> str | None:
    """"deposit", "at_session" or None."""
    if not text:
        return None
    t = _f(text)
    if _PAY_NO_DEPOSIT.search(t):
        return "at_session"
    if _PAY_DEPOSIT.search(t):
        return "deposit"
    if _PAY_AT_SESSION.search(t):
        return "at_session"
    return None


# --------------------------------------------------------------------------------------------------
# location
# --------------------------------------------------------------------------------------------------

_PLACE_NOUNS = (
    r"park|lake|gardens?|beach|trail|trailhead|canyon|falls|church|chapel|cathedral|hall|hotel|inn|ranch|barn|farm|"
    r"winery|vineyard|estate|lodge|museum|library|plaza|square|reservoir|creek|mesa|mountain|meadow|center|centre|"
    r"club|country\s+club|venue|resort|manor|mansion|castle|pavilion|amphitheater|amphitheatre|bakery|cafe|coffee|"
    r"restaurant|brewery|bar|gallery|school|university|campus|station|bridge|pier|tower|building|office|loft|"
    r"chautauqua|flatirons|botanic|arboretum|courthouse|city\s+hall|studio"
)
_ES_PLACES = r"parque|iglesia|hotel|jard[ií]n|jardines|playa|sal[oó]n|finca|hacienda|museo|plaza|restaurante|bodega|ermita|castillo|catedral|lago|masia|cortijo|quinta"
_DE_PLACES = r"park|garten|see|kirche|hotel|schloss|restaurant|hof|gut|alm|strand|halle|museum|dom|kapelle|burg|villa|weingut|standesamt|rathaus|brauerei|cafe"
_CAP = r"[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’&.\-]*"
_R_LOC_CUE = re.compile(
    r"\b(?:the\s+)?(?:venue|location|place|address|ceremony|reception)(?:\s+(?:is|will\s+be|would\s+be)|\s*:)\s*"
    r"(?:at\s+|in\s+)?(?P<v>[^.!?\n]{3,80}?)\s*(?=[.!?\n]|,\s+(?:and|but|we|i|it|which)\b|\s+and\s+(?:we|i)\b|$)"
    r"|\b(?:el\s+)?(?:lugar|sitio|direcci[oó]n|sal[oó]n|ubicaci[oó]n)(?:\s+(?:es|ser[aá])|\s*:)\s*(?:en\s+)?(?P<v2>[^.!?\n]{3,80}?)\s*(?=[.!?\n]|,\s+(?:y|pero)\b|$)"
    r"|\b(?:der\s+|die\s+|das\s+)?(?:ort|location|adresse|treffpunkt|veranstaltungsort)(?:\s+(?:ist|wäre|ware)|\s*:)\s*"
    r"(?P<v3>[^.!?\n]{3,80}?)\s*(?=[.!?\n]|,\s+(?:und|aber)\b|$)", re.I)
_R_LOC_AT = re.compile(
    r"\b(?:at|in|near|by|on\s+location\s+at)\s+(?:the\s+)?(?P<v>" + _CAP + r"(?:\s+(?:(?:of|the|de|del|la|at|on|and|&)\s+)?" + _CAP + r"){0,5})")
_R_LOC_LOWER = re.compile(r"\b(?:at|in|near)\s+(?:the\s+)?(?P<v>[a-z][a-z'’]+(?:\s+[a-z][a-z'’]+){0,3}\s+(?:" + _PLACE_NOUNS + r"))\b")
_R_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\.?\s+){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Pl|Place|"
    r"Ct|Court|Pkwy|Parkway|Hwy|Highway|Trail|Circle)\b\.?(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:,?\s+[A-Z]{2})?(?:\s+\d{5})?)?"
    r"|\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm)\s+\d{1,4}[a-z]?(?:,\s*\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+)?"
    r"|\b(?:Calle|Avenida|Avda\.|Plaza|Paseo|C/)\s+(?:[A-ZÁÉÍÓÚ][\wáéíóúñ]+\s+){1,4}\d{1,4}")
_R_LOC_ES = re.compile(r"\ben\s+(?:el|la|los|las)\s+(?P<v>(?:" + _ES_PLACES + r")\b[^,.!?\n]{0,40})", re.I)
_R_LOC_DE = re.compile(r"\b(?:im|in\s+der|in\s+dem|am|an\s+der|beim|bei\s+der|auf\s+dem|auf\s+der)\s+(?P<v>(?:[A-ZÄÖÜ][\wäöüß\-]+\s*){1,4})")
_NOT_PLACE_START = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "noon", "the",
    "christmas", "i", "my", "your", "our", "this", "that", "morning", "afternoon", "evening", "linkedin", "instagram",
    "facebook", "google", "am", "pm", "dec", "jan", "nov", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct",
    "wochenende", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "dezember",
    "januar", "februar", "marz", "juni", "juli", "oktober", "vormittag", "nachmittag", "abend", "morgen",
    "anfang", "ende", "mitte", "uhr", "termin", "studio", "hi", "hello", "thanks", "december", "boulder", "denver",
}


def _clean_loc(v: str) -> str | None:
    v = re.sub(r"\s+", " ", v).strip(" ,.;:!?-\"'")
    v = re.sub(r"\s+(?:on|at|for|with|and|in|um|am|el|a\s+las|around|next|this|tomorrow|today)$", "", v, flags=re.I)
    v = re.sub(r"\s+(?:on|at|for)\s+(?:the\s+)?\d.*$", "", v)
    if len(v) < 3:
        return None
    return v


_EMAIL_AFTER = re.compile(r"^\s*[,:;\-–(<]?\s*[\w.+\-']+@[\w\-]+\.")


def _is_sender_name(text: str, start: int, end: int) -> bool:
    """"im Kim Park kim.park@example.com": the words right before an e-mail address, or the words of
    that address's local part, are the client's name, not a place."""
    before = text[:start]
    if re.search(r"(?i)\b(?:i'm|i’m|i\s+am|this\s+is|we'?re|we\s+are|name\s+is)\s+$", before) and (
            _EMAIL_AFTER.match(text[end:]) or re.match(r"\s*(?:[,.;]|$)", text[end:])):
        return True  # "I am Kim Park"
    if re.search(r"(?:^|[.!?]\s+)(?:im|Im|its)\s+$", before) and _EMAIL_AFTER.match(text[end:]):
        return True  # "im Kim Park kim@..." (texting "I'm")
    cand = {fold_str(w) for w in re.findall(r"[^\W\d_]+", text[start:end]) if len(w) > 1}
    for local in re.findall(r"([\w.+\-']+)@", text):
        parts = {fold_str(p) for p in re.split(r"[._+\-']+", local) if len(p) > 1}
        if cand and cand <= parts:
            return True
    return False


def extract_location(text: str, strict: bool = False) -> str | None:
    """An explicit venue or address ("at Chautauqua Park", "the venue is ...", "en el Parque del Retiro").

    ``strict``: only a clear cue ("the venue is ...", "Ort: ...") or a street address with a number;
    for studio services, where a bare "at X"/"im X" is much more often something else. The client's
    own name (the words before their e-mail address) is never a location.
    """
    if not text:
        return None
    m = _R_LOC_CUE.search(text)
    if m:
        v = _clean_loc(m.group("v") or m.group("v2") or m.group("v3") or "")
        if v and fold_str(v.split()[0]) not in ("tbd", "unknown", "not", "still", "undecided", "tba"):
            return v
    m = _R_ADDRESS.search(text)
    if m:
        return _clean_loc(m.group(0))
    if strict:
        return None
    for m in _R_LOC_AT.finditer(text):
        v = m.group("v")
        words = v.split()
        if fold_str(words[0]).strip(".") in _NOT_PLACE_START:
            continue
        # cut at a capitalised weekday/month tail ("Chautauqua Park Friday")
        kept = []
        for w in words:
            if fold_str(w).strip(".,") in _NOT_PLACE_START and kept:
                break
            kept.append(w)
        v = " ".join(kept)
        has_noun = re.search(r"(?i)\b(?:" + _PLACE_NOUNS + r")\b", v)
        if has_noun or len(kept) >= 2:
            if fold_str(v).strip() in ("studio",) or _is_sender_name(text, m.start("v"), m.start("v") + len(v)):
                continue
            return _clean_loc(v)
    m = _R_LOC_LOWER.search(fold_str(text))
    if m:
        # return the original-case text at the same position (fold keeps length for these letters)
        v = m.group("v")
        if not re.match(r"(?:your|the|our|my|this|that)\b", v) and "studio" not in v \
                and not _is_sender_name(text, m.start("v"), m.end("v")):
            return _clean_loc(text[m.start("v"):m.end("v")] if len(fold_str(text)) == len(text) else v)
    m = _R_LOC_ES.search(text)
    if m:
        return _clean_loc(m.group("v"))
    for m in _R_LOC_DE.finditer(text):
        v = m.group("v").strip()
        if re.search(r"(?i)(?:" + _DE_PLACES + r")\b", v) and fold_str(v.split()[0]) not in _NOT_PLACE_START \
                and not _is_sender_name(text, m.start("v"), m.start("v") + len(v)):
            return _clean_loc(v)
    return None


# --------------------------------------------------------------------------------------------------
# counts and budget
# --------------------------------------------------------------------------------------------------

_NUMW = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "a": 1, "an": 1, "a couple of": 2, "couple of": 2, "a few": 3,
    "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
    "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12,
}
_NUM = r"(?:\d{1,4}|" + "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _NUMW), key=len, reverse=True)) + r")"
_ZU = {"zweit": 2, "dritt": 3, "viert": 4, "funft": 5, "sechst": 6, "siebt": 7, "acht": 8}


def _num(tok: str) -> int | None:
    tok = re.sub(r"\s+", " ", tok.strip())
    if tok.isdigit():
        return int(tok)
    return _NUMW.get(tok)


_R_ADULTS = re.compile(r"\b(" + _NUM + r")\s+(?:adults?|grown[\s-]?ups|adultos|erwachsene[n]?)\b")
_R_KIDS = re.compile(
    r"\b(" + _NUM + r")\s+(?:(?:little|young|small|kleine|kleinen|pequenos)\s+)?(?:kids?|children|child|toddlers?|babies|baby|little\s+ones|boys|girls|sons|daughters|"
    r"ninos|ninas|nino|nina|hijos|hijas|hijo|hija|nenes|bebes|kinder[n]?|kind|sohne|tochter|jungs|madchen)\b")
_R_PEOPLE = re.compile(
    r"\b(" + _NUM + r")\s+(?:people|persons?|pax|of\s+us|personas|personen|leute|folks|guys)\b"
    r"|\b(?:family|party|group|familia|grupo|familie|gruppe)\s+(?:of|de|von|aus)\s+(" + _NUM + r")\b"
    r"|\b(?:we\s+are|we're|there\s+are|there\s+will\s+be|there'll\s+be|somos|seremos|wir\s+sind|wir\s+werden)\s+(" + _NUM + r")\b"
    r"|\bthe\s+(" + _NUM + r")\s+of\s+us\b|\bfor\s+(" + _NUM + r")\s+(?:people|persons|adults|of\s+us)\b")
_R_GUESTS = re.compile(r"\b(?:about\s+|around\s+|approx\.?\s+|roughly\s+|unos\s+|etwa\s+|ca\.?\s+|rund\s+)?(\d{1,4})\s+(?:guests?|invitados|gaste[n]?|attendees)\b"
                       r"|\bguest\s+count\s+(?:is|of|:)\s*(?:about\s+|around\s+)?(\d{1,4})\b")


def extract_children(text: str) -> int | None:
    """Number of children mentioned ("two kids", "3 niños", "zwei Kinder", "no kids" -> 0, "twins" -> 2)."""
    if not text:
        return None
    t = _f(text)
    m = _R_KIDS.search(t)
    if m:
        n = _num(m[1])
        if n is not None and n <= 20:
            return n
    if re.search(r"\b(?:no|without|sin|ohne|keine)\s+(?:kids|children|ninos|hijos|kinder)\b", t):
        return 0
    if re.search(r"\btwins\b|\bgemelos\b|\bmellizos\b|\bzwillinge\b", t):
        return 2
    return None


def extract_people_count(text: str) -> int | None:
    """How many people are in the session ("3 people", "family of four", "2 adults and 2 kids" -> 4)."""
    if not text:
        return None
    t = _f(text)
    adults = _R_ADULTS.search(t)
    kids = _R_KIDS.search(t)
    if adults:
        n = _num(adults[1]) or 0
        if kids:
            n += _num(kids[1]) or 0
        return n or None
    m = _R_PEOPLE.search(t)
    if m:
        tok = next(g for g in m.groups() if g)
        n = _num(tok)
        if n is not None and 0 < n <= 500:
            return n
    m = re.search(r"\b(?:wir\s+sind\s+)?zu\s+(zweit|dritt|viert|funft|sechst|siebt|acht)\b", t)
    if m:
        return _ZU[m[1]]
    if re.search(r"\b(?:just|only)\s+(?:me|myself)\b|\bsolo\s+yo\b|\bnur\s+ich\b|\bjust\s+for\s+me\b", t):
        return 1
    if re.search(r"\b(?:my\s+(?:partner|husband|wife|fiance|fiancee|boyfriend|girlfriend)\s+and\s+(?:i|me)|"
                 r"(?:me|i)\s+and\s+my\s+(?:partner|husband|wife|fiance|fiancee|boyfriend|girlfriend)|the\s+two\s+of\s+us|"
                 r"mi\s+pareja\s+y\s+yo|mein\s+(?:partner|mann|freund)\s+und\s+ich|meine\s+(?:partnerin|frau|freundin)\s+und\s+ich)\b", t):
        if not kids:
            return 2
    return None


def extract_guest_count(text: str) -> int | None:
    """Number of wedding/event guests ("120 guests", "unos 80 invitados", "100 Gäste")."""
    if not text:
        return None
    m = _R_GUESTS.search(_f(text))
    if m:
        return int(m[1] or m[2])
    return None


_MONEY = re.compile(
    r"(?P<cur1>[$€£])\s?(?P<a1>\d[\d,.]*\d|\d)(?P<k1>\s?k\b)?"
    r"|(?P<a2>\d[\d,.]*\d|\d)(?P<k2>\s?k\b)?\s?(?P<cur2>usd\b|eur\b|euros?\b|dollars?\b|bucks\b|€|\$|pesos\b)"
    r"|(?P<a4>\d[\d,.]*)(?P<k4>\s?k)\b"
    r"|(?:budget|presupuesto)\s+(?:is|of|es|de|ist|von|:|around|about|roughly)?\s*(?:is\s+)?(?:around|about|roughly|approx\.?|unos|etwa|ca\.?)?\s*(?P<a3>\d[\d,.]*)(?P<k3>\s?k\b)?")
_BUDGET_CUE = re.compile(
    r"\b(?:budget|spend|afford|max(?:imum)?|up\s+to|no\s+more\s+than|less\s+than|under|below|at\s+most|within|around|about|"
    r"approximately|roughly|for|presupuesto|gastar|hasta|maximo|menos\s+de|como\s+mucho|alrededor\s+de|ausgeben|maximal|"
    r"hochstens|bis\s+zu|unter|rahmen|etwa|ca)\b[^.!?\d$€£]{0,25}$")


def _parse_amount(raw: str, k: bool) -> Decimal | None:
    raw = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", raw):  # 1.200 or 1.200,50 (de/es)
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d{1,2}", raw):  # 150,50
        raw = raw.replace(",", ".")
    else:
        raw = raw.replace(",", "")
    try:
        v = Decimal(raw)
    except InvalidOperation:
        return None
    if k:
        v *= 1000
    if v == v.to_integral_value() and "." not in raw:
        v = v.quantize(Decimal(1))
    elif k and v == v.to_integral_value():
        v = v.quantize(Decimal(1))
    return v


def extract_budget(text: str) -> Decimal | None:
    """A budget the client states ("budget is $500", "up to 2k", "hasta 300 €", "maximal 400 Euro")."""
    if not text:
        return None
    t = _f(text)
    for m in _MONEY.finditer(t):
        if m.group("a3"):
            return _parse_amount(m.group("a3"), bool(m.group("k3")))
        raw = m.group("a1") or m.group("a2") or m.group("a4")
        k = bool(m.group("k1") or m.group("k2") or m.group("k4"))
        before = t[max(0, m.start() - 40):m.start()]
        if _BUDGET_CUE.search(before) or re.search(r"\b(?:budget|presupuesto)\b", t):
            v = _parse_amount(raw, k)
            if v is not None:
                return v
    return None
