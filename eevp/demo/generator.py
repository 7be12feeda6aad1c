"""Demo organisation: a realistic, multilingual (English, Russian, Ukrainian) company for first runs.

:func:`generate` builds about 2,000 employees of a fictional distribution company over one year
(1 October 2025 – 30 September 2026): four quarterly survey waves, exit interviews, focus-group
notes and the EVP (benefit catalogue and ratings), as frames shaped like CSV exports, together with
the column mapping of each kind. Everything comes from ``numpy.random.default_rng(seed)`` and a
fixed reference date, so the same seed gives the same data.

Free text is written from templates with inline alternatives (``{a|b|c}``) and slot fillers, in
the employee's language (chosen by location: Ukrainian offices mostly Ukrainian, Almaty mostly
Russian, London and Warsaw mostly English; about 45% / 30% / 25% English / Russian / Ukrainian).

Planted patterns that the dashboards should reveal (also in :data:`PLANTED`):

1. ``career_growth_decline`` — Software Engineers' "Career growth" favourability falls every wave
   (about 70% → 55% → 40% → 28%) and their eNPS falls with it.
2. ``systemic_customer_issues`` — customer-facing staff (Sales, Customer Support, Delivery) describe
   late deliveries, sales over-promising, and customers waiting on the hotline with no callback, in
   survey comments, exit interviews and focus groups, from nearly every department.
3. ``local_billing_issue`` — billing errors / double-charged invoices are mentioned only by the
   Finance department (dozens of statements from dozens of people): a *local* customer problem.
4. ``benefit_not_offered`` — "Remote work" is not offered to Customer Support Agents, yet they rate
   its importance about 4.6; ``learning_budget_gap`` — "Learning budget" is important to everyone
   (about 4.3) but satisfaction is low (about 2.3).
5. ``regretted_leavers`` — regretted leavers are concentrated among Software Engineers, and the
   exit reason "Career growth" rises quarter after quarter.
6. ``department_heatmap`` — Logistics is low on "Workload is manageable", Customer Service on
   "Flexibility", IT high on "Tools and resources".
7. ``personal_data`` — about 1% of comments name a colleague (from ``employee_name``), give an
   e-mail address or a phone number, for the redaction demo.
8. ``customer_traps`` — comments that say "client" without meaning customers ("the e-mail client
   crashes", IT's "internal clients").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np
import pandas as pd

from eevp.errors import InputError

__all__ = ["EXIT_ITEMS", "ITEMS", "PLANTED", "WAVES", "DemoData", "generate"]

PLANTED: dict[str, str] = {
    "career_growth_decline": "Software Engineer: 'Career growth' favourability falls each wave "
                             "(~70% → 55% → 40% → 28%) and their eNPS falls too.",
    "systemic_customer_issues": "Late deliveries (delivery), sales over-promising (sales) and customers "
                                "waiting on the hotline with no callback (support) are raised by customer-facing "
                                "staff and by nearly every department: systemic.",
    "local_billing_issue": "Billing errors / double-charged invoices are raised only by the Finance department "
                           "(well over 15 statements from over 10 people): local.",
    "benefit_not_offered": "'Remote work' is offered to every office role but not to Customer Support Agent, "
                           "whose mean importance for it is ~4.6.",
    "learning_budget_gap": "'Learning budget': importance ~4.3 for everyone, satisfaction ~2.3 (largest gap).",
    "regretted_leavers": "Regretted leavers are concentrated among Software Engineers; the share of exits "
                         "with reason 'Career growth' rises every quarter.",
    "department_heatmap": "Logistics is low on 'Workload is manageable', Customer Service low on 'Flexibility', "
                          "IT high on 'Tools and resources'.",
    "personal_data": "About 1% of comments contain a colleague's name (from employee_name), an e-mail "
                     "address or a phone number, to show redaction.",
    "customer_traps": "Some comments use 'client' without meaning customers: the e-mail client, IT's internal "
                      "clients.",
}

WAVES = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
_WAVE_DATES = (date(2025, 11, 15), date(2026, 2, 15), date(2026, 5, 15), date(2026, 8, 15))
_YEAR_START = date(2025, 10, 1)
_YEAR_END = date(2026, 9, 30)
_RESPONSE_RATE = (0.82, 0.77, 0.74, 0.79)

ITEMS = ("Career growth", "Manager support", "Workload is manageable", "Tools and resources", "Recognition",
         "Pay is fair", "Team collaboration", "Flexibility", "Customer focus", "Proud to work here",
         "Wellbeing support", "Clear goals")
EXIT_ITEMS = ("Career growth", "Manager support", "Pay is fair", "Workload is manageable", "Recognition",
              "Team collaboration")
Q_IMPROVE = "What should we improve?"
Q_CUSTOMERS = "What do our customers struggle with?"
Q_WHY = "Why are you leaving?"
Q_EXIT_CUSTOMERS = "What would you tell us about our customers?"
Q_KEEP = "What could we have done to keep you?"

LANGS = ("en", "ru", "uk")
LOCATIONS = ("Kyiv", "Lviv", "Kharkiv", "Warsaw", "London", "Almaty")
#: language shares (en, ru, uk) per location
_LANG_BY_LOCATION = {
    "Kyiv": (0.25, 0.38, 0.37), "Lviv": (0.15, 0.10, 0.75), "Kharkiv": (0.10, 0.60, 0.30),
    "Warsaw": (0.85, 0.10, 0.05), "London": (0.97, 0.02, 0.01), "Almaty": (0.35, 0.65, 0.00),
}
_LOC_OFFICE = (0.30, 0.12, 0.06, 0.15, 0.22, 0.15)
_LOC_FIELD = (0.30, 0.14, 0.12, 0.16, 0.08, 0.20)

# role: (headcount share, {department: share}, field role?)
ROLES = {
    "Customer Support Agent": (0.18, {"Customer Service": 1.0}, True),
    "Sales Representative": (0.15, {"Sales": 1.0}, False),
    "Account Manager": (0.08, {"Sales": 0.75, "Customer Service": 0.25}, False),
    "Delivery Driver": (0.15, {"Logistics": 1.0}, True),
    "Warehouse Operative": (0.16, {"Operations": 0.65, "Logistics": 0.35}, True),
    "Software Engineer": (0.12, {"IT": 1.0}, False),
    "Finance Analyst": (0.06, {"Finance": 1.0}, False),
    "HR Specialist": (0.04, {"HR": 1.0}, False),
    "Marketing Specialist": (0.06, {"Marketing": 1.0}, False),
}
ROLE_NAMES = tuple(ROLES)
DEPARTMENTS = ("Sales", "Customer Service", "Logistics", "Operations", "IT", "Finance", "HR", "Marketing")
CUSTOMER_FACING = ("Customer Support Agent", "Sales Representative", "Account Manager", "Delivery Driver")
PLANTED_ROLE = "Software Engineer"
_CAREER_FAV = (0.70, 0.55, 0.40, 0.28)
TENURE_BANDS = ("<1 year", "1-3 years", "3-5 years", "5+ years")
EXIT_REASONS = ("Pay", "Career growth", "Management", "Workload", "Relocation", "Personal", "Better offer")
DOMAIN = "northwind-demo.example"

# --------------------------------------------------------------------------- phrases
# Inline alternatives {a|b|c} are expanded at random (innermost first); an empty alternative drops
# the part. <Cn>/<Cg>/<Cd> are the customer word in the nominative / genitive / dative plural.

_CUSTOMER_WORDS = {
    "en": {"<Cn>": "{customers|clients|buyers}"},
    "ru": {"<Cn>": "{клиенты|покупатели|заказчики}", "<Cg>": "{клиентов|покупателей|заказчиков}",
           "<Cd>": "{клиентам|покупателям|заказчикам}"},
    "uk": {"<Cn>": "{клієнти|покупці|замовники}", "<Cg>": "{клієнтів|покупців|замовників}",
           "<Cd>": "{клієнтам|покупцям|замовникам}"},
}

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "pay": {
        "en": (
            "My salary is {well|clearly|noticeably} below {the market|what competitors pay}{ for this role|| for the same job}.",
            "{We haven't had a pay rise|There has been no salary review|Nobody has reviewed our salaries} {in two years|since I joined|for a long time}, while prices keep {going up|rising}.",
            "{The bonus scheme|Our bonus system} {is a lottery|makes no sense to anyone|feels completely random}, nobody explains how it is calculated.",
            "{New hires|Newcomers} {earn|get paid} more than people who have been here for years{, which is demotivating|| and everyone knows it}.",
            "{Please review|Fix|Look at} pay for {frontline|junior|warehouse and delivery} staff, {it is the main reason people leave|otherwise people will keep leaving}.",
        ),
        "ru": (
            "Моя зарплата {заметно|сильно|явно} ниже {рынка|того, что платят конкуренты}{ для такой должности|| за ту же работу}.",
            "{Зарплату не пересматривали|Повышения зарплаты не было|Индексации не было} {уже два года|с тех пор, как я пришёл|очень давно}, а цены {всё растут|растут каждый месяц}.",
            "{Система премий|Премиальная система} {похожа на лотерею|никому не понятна|выглядит случайной}, никто не объясняет, как {считаются премии|её считают}.",
            "{Новички|Новые сотрудники} получают больше, чем те, кто работает здесь годами{, и это очень демотивирует|| и все об этом знают}.",
            "{Пересмотрите|Поднимите|Проверьте} зарплаты {линейного персонала|младших специалистов|сотрудников склада и доставки}, {это главная причина увольнений|иначе люди продолжат уходить}.",
        ),
        "uk": (
            "Моя зарплата {помітно|значно|явно} нижча, ніж {на ринку|платять конкуренти}{ для такої посади|| за ту саму роботу}.",
            "{Зарплату не переглядали|Підвищення зарплати не було|Індексації не було} {вже два роки|відколи я прийшов|дуже давно}, а ціни {постійно ростуть|ростуть щомісяця}.",
            "{Система премій|Преміальна система} {схожа на лотерею|нікому не зрозуміла|виглядає випадковою}, ніхто не пояснює, як {рахуються премії|її рахують}.",
            "{Новачки|Нові працівники} отримують більше, ніж ті, хто працює тут роками{, і це дуже демотивує|| і всі про це знають}.",
            "{Перегляньте|Підніміть|Перевірте} зарплати {лінійного персоналу|молодших фахівців|працівників складу й доставки}, {це головна причина звільнень|інакше люди й далі йтимуть}.",
        ),
    },
    "career": {
        "en": (
            "There is {no clear|no visible|hardly any} {career path|path to promotion|room to grow} {here|for people in my role|in our team}.",
            "I have been in the same {position|role|grade} for {two|three|almost four} years and {nobody talks about promotion|no one discusses my development with me|nobody can tell me what comes next}.",
            "{Promotions|Senior positions} go to {people from outside|external hires|newcomers} instead of {those who have been here for years|internal candidates|our own people}.",
            "{We need|Please introduce|It is time for} a {transparent|clear} {promotion process|career framework|grading system} with {real|clear|measurable} criteria.",
            "{My development plan|The development plan} {exists only on paper|has not been updated for a year|was never discussed with me}.",
            "{Lead|Senior} roles {are never advertised internally|are filled before anyone hears about them|always go to outsiders}{, so there is nowhere to grow|| and people stop trying}.",
        ),
        "ru": (
            "{Нет|Не видно} {понятного|никакого} карьерного {роста|пути} {для моей должности|в нашей команде|здесь}.",
            "Я {уже |}{два|три|почти четыре} года на одной и той же {позиции|должности}, и {никто не говорит о повышении|никто не обсуждает со мной развитие|никто не объясняет, что дальше}.",
            "{Повышения|Руководящие должности} достаются {людям со стороны|внешним кандидатам|новичкам}, а не {тем, кто работает здесь годами|своим сотрудникам}.",
            "{Нужна|Давно нужна|Компании нужна} {прозрачная|понятная} система {повышений|грейдов|карьерного роста} с {чёткими|реальными} критериями.",
            "{План развития|Мой план развития} {существует только на бумаге|не обновлялся уже год|со мной никто не обсуждал}.",
            "{Вакансии тимлидов|Старшие позиции} {никогда не публикуют внутри|закрывают раньше, чем кто-то о них узнаёт|всегда отдают людям со стороны}{, так что расти некуда||, и люди перестают стараться}.",
        ),
        "uk": (
            "{Немає|Не видно} {зрозумілого|жодного} кар'єрного {зростання|шляху} {для моєї посади|у нашій команді|тут}.",
            "Я {вже |}{два|три|майже чотири} роки на одній і тій самій посаді, і {ніхто не говорить про підвищення|ніхто не обговорює зі мною розвиток|ніхто не пояснює, що далі}.",
            "{Підвищення|Керівні посади} дістаються {людям ззовні|зовнішнім кандидатам|новачкам}, а не {тим, хто працює тут роками|своїм працівникам}.",
            "{Потрібна|Давно потрібна|Компанії потрібна} {прозора|зрозуміла} система {підвищень|грейдів|кар'єрного зростання} з {чіткими|реальними} критеріями.",
            "{План розвитку|Мій план розвитку} {існує лише на папері|не оновлювався вже рік|зі мною ніхто не обговорював}.",
            "{Вакансії тімлідів|Старші посади} {ніколи не публікують всередині|закривають раніше, ніж хтось про них дізнається|завжди віддають людям ззовні}{, тож рости нікуди||, і люди перестають старатися}.",
        ),
    },
    "manager": {
        "en": (
            "My manager {rarely|almost never|hardly ever} {gives feedback|has time for one-to-ones|answers questions}{, I only hear about problems at review time||}.",
            "{Managers|Team leads} {need proper training|should learn} {how to give feedback|how to talk to people|to listen to their teams}.",
            "{Decisions come from above|Everything is decided above us} {without asking the people who do the work|and nobody explains why}.",
            "{My team lead|Our supervisor} {shouts at people|talks down to us|micromanages every step}{ in front of everyone||, and nobody does anything about it}.",
            "{I feel|We feel} {unsupported|left alone} when {something goes wrong|there is a conflict|things get busy}.",
        ),
        "ru": (
            "Мой руководитель {редко|почти никогда не} {даёт обратную связь|находит время на встречи один на один|отвечает на вопросы}{, о проблемах я узнаю только на оценке||}.",
            "{Руководителей|Тимлидов} нужно {учить|нормально обучать} {давать обратную связь|разговаривать с людьми|слушать свою команду}.",
            "{Решения спускают сверху|Всё решают за нас} {и не спрашивают тех, кто делает работу|и никто не объясняет почему}.",
            "{Мой начальник|Наш бригадир} {кричит на людей|разговаривает с нами свысока|контролирует каждый шаг}{ при всех||, и никто ничего с этим не делает}.",
            "{Мне кажется|Часто кажется}, что нас не поддерживают, когда {что-то идёт не так|возникает конфликт|много работы}.",
        ),
        "uk": (
            "Мій керівник {рідко|майже ніколи не} {дає зворотний зв'язок|знаходить час на зустрічі один на один|відповідає на запитання}{, про проблеми я дізнаюся лише на оцінюванні||}.",
            "{Керівників|Тімлідів} треба {вчити|нормально навчати} {давати зворотний зв'язок|розмовляти з людьми|слухати свою команду}.",
            "{Рішення спускають згори|Усе вирішують за нас} {і не питають тих, хто виконує роботу|і ніхто не пояснює чому}.",
            "{Мій начальник|Наш бригадир} {підвищує голос на людей|розмовляє з нами зверхньо|контролює кожен крок}{ при всіх||, і ніхто нічого з цим не робить}.",
            "{Мені здається|Часто здається}, що нас не підтримують, коли {щось іде не так|виникає конфлікт|багато роботи}.",
        ),
    },
    "workload": {
        "en": (
            "{We are|Our team is} {constantly|always|permanently} understaffed{ and everyone does two jobs||, so overtime is normal}.",
            "{Routes|Shifts|Schedules} are planned {as if nobody needs a break|without any buffer|for more hours than we have}.",
            "I {regularly|often|almost every week} {stay late|work overtime|skip lunch} just to {finish my tasks|get through the queue|keep up}.",
            "{Hire more people|Please hire more staff|We need more hands} {before peak season|for the busy months|in the warehouse and on the routes}{, we are exhausted||}.",
            "The {number of deliveries per shift|ticket queue|number of orders per shift} {keeps growing|has doubled|is unrealistic} {but the team stays the same|and nobody adds people}.",
        ),
        "ru": (
            "{Нам|Нашей команде} {постоянно|всегда} не хватает людей{, и каждый работает за двоих||, поэтому переработки стали нормой}.",
            "{Маршруты|Смены|Графики} {планируют|составляют} {так, будто нам не нужен отдых|без всякого запаса|на больше часов, чем у нас есть}.",
            "Я {регулярно|часто|почти каждую неделю} {задерживаюсь после работы|работаю сверхурочно|пропускаю обед}, чтобы {закрыть свои задачи|разобрать очередь|успеть всё сделать}.",
            "{Наймите больше людей|Нужно больше сотрудников|Нам нужны люди} {до высокого сезона|на загруженные месяцы|на склад и на маршруты}{, мы выгорели||}.",
            "{Количество доставок за смену|Число обращений|Количество заказов за смену} {всё растёт|выросло вдвое|нереальное}, а {людей больше не становится|команда та же самая}.",
        ),
        "uk": (
            "{Нам|Нашій команді} {постійно|завжди} бракує людей{, і кожен працює за двох||, тому переробки стали нормою}.",
            "{Маршрути|Зміни|Графіки} {планують|складають} {так, ніби нам не потрібен відпочинок|без жодного запасу на дорогу й відпочинок|на більше годин, ніж у нас є}.",
            "Я {регулярно|часто|майже щотижня} {затримуюся після роботи|виходжу у вихідні|пропускаю обід}, щоб {закрити свої завдання|розібрати чергу|встигнути все зробити}.",
            "{Найміть більше людей|Потрібно більше працівників|Нам потрібні люди} {до високого сезону|на завантажені місяці|на склад і на маршрути}{, ми вигоріли||}.",
            "{Кількість доставок за зміну|Черга звернень|Кількість замовлень за зміну} {постійно зростає|зросла вдвічі|нереальна}, а {людей більше не стає|в команді ті самі люди}.",
        ),
    },
    "tools": {
        "en": (
            "{The CRM|Our CRM|The order system} is {painfully slow|always freezing|years out of date}{ and we lose time on every call||}.",
            "{Half of the scanners|The handheld scanners|The warehouse terminals} {don't work properly|keep losing connection|are broken}.",
            "{My laptop is|Our laptops are} too {old|slow} for {the tools we use|video calls|basic work}.",
            "We {still |}copy data by hand between {three|several|different} systems{, which causes mistakes||}.",
            "{Give us|We need|Please buy} {proper|decent|modern} {tools|equipment|software} {to do the job|for the team}.",
        ),
        "ru": (
            "{CRM|Наша CRM|Система заказов} {ужасно тормозит|постоянно зависает|давно устарела}{, и мы теряем время на каждом звонке||}.",
            "{Половина сканеров|Ручные сканеры|Терминалы на складе} {работают плохо|постоянно теряют связь|сломаны}.",
            "{Мой ноутбук слишком старый|Наши ноутбуки слишком медленные} для {наших программ|видеозвонков|обычной работы}.",
            "Мы до сих пор вручную переносим данные между {тремя|несколькими|разными} системами{, из-за этого бывают ошибки||}.",
            "{Дайте нам|Нам нужны|Купите} {нормальные|современные|рабочие} {инструменты|программы|компьютеры} для работы.",
        ),
        "uk": (
            "{CRM|Наша CRM|Система замовлень} {страшенно гальмує|постійно зависає|давно застаріла}{, і ми втрачаємо час на кожному дзвінку||}.",
            "{Половина сканерів|Ручні сканери|Термінали на складі} {погано працюють|постійно втрачають зв'язок|зламані}.",
            "{Мій ноутбук застарий|Наші ноутбуки надто повільні} для {наших програм|відеодзвінків|звичайної роботи}.",
            "Ми досі вручну переносимо дані між {трьома|кількома|різними} системами{, через це бувають помилки||}.",
            "{Дайте нам|Нам потрібні|Купіть} {нормальні|сучасні|робочі} {інструменти|програми|комп'ютери} для роботи.",
        ),
    },
    "recognition": {
        "en": (
            "{Good work|Extra effort} {goes unnoticed|is never acknowledged|is taken for granted}{ here|| unless something goes wrong}.",
            "{Nobody ever says thank you|A simple thank you would go a long way|We only hear from management when there is a mistake}.",
            "The {recognition programme|employee of the month award} {always goes to the same people|feels like a formality|is invisible to frontline staff}.",
            "{I would like|We need} {more|some} recognition for {people who cover extra shifts|those who stay late|the team that handles the hardest cases}.",
        ),
        "ru": (
            "{Хорошую работу|Дополнительные усилия} здесь {никто не замечает|никогда не отмечают|воспринимают как должное}.",
            "{Никто никогда не говорит спасибо|Простое спасибо очень много бы значило|Руководство вспоминает о нас, только когда что-то пошло не так}.",
            "{Награда «Сотрудник месяца»|Премия за достижения} {всегда достаётся одним и тем же|выглядит формальностью|до линейного персонала просто не доходит}.",
            "{Хотелось бы|Нужно} больше признания для {тех, кто выходит на дополнительные смены|тех, кто задерживается допоздна|команды, которая берёт самые сложные случаи}.",
        ),
        "uk": (
            "{Хорошу роботу|Додаткові зусилля} тут {ніхто не помічає|ніколи не відзначають|ніхто не цінує}.",
            "{Ніхто ніколи не каже дякую|Просте «дякую» багато значило б для всіх|Керівництво згадує про нас, лише коли щось пішло не так}.",
            "{Нагорода «Працівник місяця»|Премія за досягнення} {завжди дістається одним і тим самим|виглядає формальністю|до лінійного персоналу просто не доходить}.",
            "{Хотілося б|Потрібно} більше визнання для {тих, хто виходить на додаткові зміни|тих, хто затримується допізна|команди, яка бере найскладніші випадки}.",
        ),
    },
    "collaboration": {
        "en": (
            "{Departments|Teams} {work in silos|don't talk to each other|blame each other instead of fixing problems}.",
            "{Information|Important news} {gets lost|never reaches us|arrives too late} between {Sales and Operations|head office and the warehouses|the teams}.",
            "{My colleagues are great|The people in my team are great}, but {cooperation with other departments|working with other teams} is {painful|slow|a constant fight}.",
            "{We need|It would help to have} {regular|joint} {meetings|planning sessions} with {the other departments|Logistics and Sales|the teams we depend on}.",
        ),
        "ru": (
            "{Отделы|Команды} {работают каждый сам по себе|не общаются друг с другом|ищут виноватых вместо того, чтобы решать проблемы}.",
            "{Информация|Важная информация} {теряется|доходит с опозданием|застревает} где-то между {продажами и операционным отделом|офисом и складами|командами}.",
            "{Коллеги у меня отличные|Люди в моей команде замечательные}, но {работать с другими отделами|взаимодействие с другими командами} — это {мучение|очень медленно|постоянная борьба}.",
            "{Нужны|Помогли бы} {регулярные|совместные} {встречи|планёрки} с {другими отделами|логистикой и продажами|командами, от которых мы зависим}.",
        ),
        "uk": (
            "{Відділи|Команди} {працюють кожен сам по собі|не спілкуються між собою|шукають винних замість того, щоб розв'язувати проблеми}.",
            "{Інформація|Важлива інформація} {губиться|доходить із запізненням|застрягає} десь між {продажами та операційним відділом|офісом і складами|командами}.",
            "{Колеги в мене чудові|Люди в моїй команді чудові}, але {працювати з іншими відділами|взаємодія з іншими командами} — це {мука|дуже повільно|постійна боротьба}.",
            "{Потрібні|Допомогли б} {регулярні|спільні} {зустрічі|планірки} з {іншими відділами|логістикою та продажами|командами, від яких ми залежимо}.",
        ),
    },
    "flexibility": {
        "en": (
            "{Please allow at least two days of remote work a week|I would love a hybrid schedule|We need more flexibility with working hours}{, the commute takes hours|| like other teams have}.",
            "{Swapping shifts|Taking a day off} {is almost impossible|takes a week of approvals|only works if the supervisor is in a good mood}.",
            "{Other departments can work from home|Office teams have hybrid work}, but {we are|support agents are} kept in the office{ even though we only need a headset and a laptop||}.",
            "{Schedules|Rotas} {are published too late|change at the last minute}{ to plan anything in my personal life||}.",
        ),
        "ru": (
            "{Разрешите хотя бы два дня удалёнки в неделю|Хотелось бы гибридный график|Нужно больше гибкости с рабочими часами}{, дорога занимает часы|| как у других команд}.",
            "{Поменяться сменами|Взять выходной} {почти невозможно|получается только после недели согласований|удаётся, только если бригадир в хорошем настроении}.",
            "{Другие отделы могут работать из дома|У офисных команд есть гибрид}, а {нас|операторов поддержки} держат в офисе{, хотя нам нужны только гарнитура и ноутбук||}.",
            "{Графики|Расписание смен} {публикуют слишком поздно|меняют в последний момент}{, невозможно ничего планировать в личной жизни||}.",
        ),
        "uk": (
            "{Дозвольте хоча б два дні віддаленої роботи на тиждень|Хотілося б гібридний графік|Потрібно більше гнучкості з робочими годинами}{, дорога забирає години|| як в інших команд}.",
            "{Помінятися змінами|Взяти вихідний} {майже неможливо|вдається лише після тижня погоджень|вдається, лише якщо бригадир у гарному настрої}.",
            "{Інші відділи можуть працювати з дому|В офісних команд є гібрид}, а {нас|операторів підтримки} тримають в офісі{, хоча нам потрібні лише гарнітура й ноутбук||}.",
            "{Графіки|Розклад змін} {публікують надто пізно|змінюють в останній момент}{, неможливо нічого планувати в особистому житті||}.",
        ),
    },
    "wellbeing": {
        "en": (
            "{Stress levels are very high|Burnout is a real problem|Stress is getting worse every month} {in our team|on the hotline|after every peak}{ and nobody seems to care||}.",
            "{By the end of the week|After the night shifts|Lately} {I feel completely exhausted|many of us are simply burning out|there is no energy left at all}.",
            "{Mental health support|The counselling service} {exists only on paper|is hard to access|is not known to most people}.",
            "{More attention to|Please pay more attention to} {people's health|the physical strain in the warehouse|breaks during long shifts}.",
        ),
        "ru": (
            "{Уровень стресса в команде очень высокий|Выгорание у нас стало реальной проблемой|Стресса с каждым месяцем всё больше}{, и никому до этого нет дела||}.",
            "{К концу недели|После ночных смен|В последнее время} {я чувствую себя выжатым как лимон|многие из нас просто выгорают|сил не остаётся совсем}.",
            "{Психологическая поддержка|Программа поддержки сотрудников} {есть только на бумаге|почти недоступна|мало кому известна}.",
            "{Больше внимания|Нужно больше внимания} {здоровью людей|физической нагрузке на складе|перерывам во время длинных смен}.",
        ),
        "uk": (
            "{Рівень стресу в команді дуже високий|Вигорання в нашій команді стало справжньою проблемою|Стресу щомісяця все більше}{, і нікому до цього немає діла||}.",
            "{Під кінець тижня|Після нічних змін|Останнім часом} {я почуваюся вичавленим як лимон|багато хто з нас просто вигорає|сил не залишається зовсім}.",
            "{Психологічна підтримка|Програма підтримки працівників} {є лише на папері|майже недоступна|мало кому відома}.",
            "{Більше уваги|Потрібно більше уваги} {здоров'ю людей|фізичному навантаженню на складі|перервам під час довгих змін}.",
        ),
    },
    "goals": {
        "en": (
            "{Priorities|Our targets} change {every week|every month|all the time}{ and nobody explains why||, so we never finish anything}.",
            "I {don't really know|am not sure} {what is expected of me|how my work is measured|what the company's goals are this year}.",
            "{KPIs|Targets} are {set without asking us|unrealistic|communicated too late}.",
            "{Please share|We would like to hear about} {the strategy|the plans|the results} {more often|openly|in plain words}, not only {at the annual meeting|in slides for managers}.",
        ),
        "ru": (
            "Приоритеты меняются {каждую неделю|каждый месяц|постоянно}{, и никто не объясняет почему||, поэтому мы ничего не доводим до конца}.",
            "Я {толком не понимаю|не до конца понимаю}, {чего от меня ждут|как оценивается моя работа|какие у компании цели на этот год}.",
            "{KPI|Планы} {ставят, не спрашивая нас|нереальные|доводят до нас слишком поздно}.",
            "{Рассказывайте|Хотелось бы слышать} {о стратегии|о планах|о результатах} {чаще|открыто|простыми словами}, а не только {на годовом собрании|в презентациях для руководителей}.",
        ),
        "uk": (
            "Пріоритети змінюються {щотижня|щомісяця|постійно}{, і ніхто не пояснює чому||, тому ми нічого не доводимо до кінця}.",
            "Я {не зовсім розумію|до кінця не розумію}, {чого від мене чекають|як оцінюють мою роботу|які в компанії цілі на цей рік}.",
            "{Цілі й KPI|Плани й цілі|Квартальні плани} {ставлять, не питаючи нас|нереальні|доводять до нас надто пізно}.",
            "{Розповідайте|Хотілося б чути} {про стратегію|про плани|про результати} {частіше|відкрито|простими словами}, а не лише {на річних зборах|у презентаціях для керівників}.",
        ),
    },
    "training": {
        "en": (
            "{The learning budget|The training budget} is {too small|always frozen|impossible to get approved}{ for anything useful||}.",
            "I {asked for|applied for} {a course|a certification|a conference} {twice|months ago} and {never got an answer|was told there is no budget}.",
            "{Onboarding|Training for new people} {is just reading documents|takes one day and then you are on your own|is far too short}.",
            "{More|Proper} {training|courses|workshops} on {the new systems|negotiation|product knowledge} {would help|are needed}.",
        ),
        "ru": (
            "{Бюджет на обучение|Бюджет на курсы} {слишком маленький|постоянно заморожен|невозможно согласовать}.",
            "Я {дважды|несколько месяцев назад} {просил согласовать|подавал заявку на} {курс|сертификацию|конференцию} и {так и не получил ответа|услышал, что бюджета нет}.",
            "{Адаптация новичков|Вводное обучение} {сводится к чтению документов|длится один день, а потом ты сам по себе|занимает слишком мало времени}.",
            "{Нужно больше|Не хватает} {обучения|курсов|тренингов} по {новым системам|переговорам|продукту}.",
        ),
        "uk": (
            "{Бюджет на навчання|Бюджет на курси} {замалий|постійно заморожений|неможливо погодити}{, і це всіх дратує|, хоча його всі обіцяють|, тому ніхто вже й не просить}.",
            "Я {двічі|кілька місяців тому} {просив погодити|подавав заявку на} {курс|сертифікацію|конференцію} і {так і не отримав відповіді|почув, що бюджету немає}.",
            "{Адаптація новачків|Вступне навчання} {зводиться до читання документів|триває один день, а далі ти сам по собі|займає замало часу}.",
            "{Потрібно більше|Бракує} {навчання|курсів|тренінгів} з {нових систем|переговорів|продукту}.",
        ),
    },
    "positive": {
        "en": (
            "{Great team|Good people|Friendly colleagues}{, I enjoy coming to work||, keep it up}.",
            "{I like|I appreciate} {the atmosphere in my team|how my manager supports us|the flexibility we have}.",
            "{Honestly|Overall}, {things have improved|it is a good place to work|I am happy here}{ this year||}.",
        ),
        "ru": (
            "{Отличная команда|Хорошие люди|Дружный коллектив}{, мне нравится ходить на работу||, так держать}.",
            "Мне нравится {атмосфера в команде|то, как руководитель нас поддерживает|гибкость, которая у нас есть}.",
            "{Честно говоря|В целом}, {стало лучше|здесь хорошо работать|мне здесь нравится}{ в этом году||}.",
        ),
        "uk": (
            "{Чудові колеги|Хороші люди|Дружній колектив}{, мені подобається ходити на роботу||, так тримати}.",
            "Мені подобається {атмосфера в команді|те, як керівник нас підтримує|гнучкість, яка в нас є}.",
            "{Чесно кажучи|Загалом}, {стало краще|мені тут подобається|це гарне місце для роботи} — {дякую|дякуємо} команді.",
        ),
    },
    # ---- about customers
    "delivery": {
        "en": (
            "<Cn:cap> {keep complaining|complain every day|are angry} {about late deliveries|that deliveries arrive days late|that orders never come on the promised day}.",
            "{Deliveries are|Orders arrive} {two|three|five} days late{ and the customer finds out only when they call us|| almost every week|, especially in the regions}.",
            "{The delivery slot|The promised delivery time} is missed so often that <Cn> {no longer believe us|stop ordering from us|complain to our managers}.",
            "{We promise next-day delivery|The website says next-day delivery} but {the trucks|the couriers|the drivers} physically cannot make it {with these routes|with the current volume}.",
            "When a delivery is late, {nobody warns|no one informs} the {customer|client|buyer}{, so they call us furious||}.",
        ),
        "ru": (
            "<Cn:cap> {постоянно жалуются|каждый день жалуются|возмущаются} {на задержки доставки|на то, что заказы приходят с опозданием|на то, что заказ не привозят в обещанный день}.",
            "{Доставка опаздывает|Заказы приходят с опозданием} на {два дня|три дня|пять дней|неделю}{, и клиент узнаёт об этом, только когда звонит нам|| почти каждую неделю|, особенно в регионах}.",
            "{Окно доставки|Обещанное время доставки} срывается так часто, что <Cn> {уже нам не верят|перестают у нас заказывать|пишут жалобы руководству}.",
            "{Мы обещаем доставку на следующий день|На сайте обещают доставку на следующий день}, но {машины|курьеры|водители} физически не успевают {с такими маршрутами|при таком объёме}.",
            "Когда доставка задерживается, {никто не предупреждает|никто не сообщает} {клиента|покупателя|заказчика}{, и он звонит нам в ярости||}.",
        ),
        "uk": (
            "<Cn:cap> {постійно скаржаться|щодня скаржаться|нарікають} {на вічні затримки доставки|на те, що замовлення приходять із запізненням|на те, що замовлення не привозять в обіцяний день}.",
            "{Доставка запізнюється|Замовлення приходять із запізненням} на {два дні|три дні|п'ять днів|тиждень}{, і клієнт дізнається про це, лише коли телефонує нам|| майже щотижня|, особливо в регіонах}.",
            "{Вікно доставки|Обіцяний час доставки} зривається так часто, що <Cn> {вже нам не вірять|перестають у нас замовляти|пишуть скарги керівництву}.",
            "{Ми обіцяємо доставку наступного дня|На сайті обіцяють доставку наступного дня}, але {машини|кур'єри|водії} фізично не встигають {з такими маршрутами|за такого обсягу}.",
            "Коли доставка затримується, {ніхто не попереджає|ніхто не повідомляє} {клієнта|покупця|замовника}{, і він телефонує нам розлючений||}.",
        ),
    },
    "oversell": {
        "en": (
            "{Sales|Our sales team|Account managers} {promise|sell} <Cn> {things|features|delivery times} that {service|operations|the warehouse} {cannot deliver|can never keep}.",
            "<Cn:cap> are told {it will be ready in a week|they get a dedicated manager|installation is free}, and then {we have to explain|support has to explain} that it is not true.",
            "{There is pressure to close deals at any cost|Targets push us to close deals by the end of the month}, so {we over-promise|people promise more than we can do}{ and the customer pays for it later||}.",
            "{Half of|Most of} the complaints {we get|on the hotline} start with a promise {made by sales|someone in sales made}.",
            "{Contracts|Offers} include {discounts|conditions|deadlines} that {nobody in operations knows about|nobody checked with operations}.",
        ),
        "ru": (
            "{Продажники|Менеджеры по продажам|Наши продавцы} {обещают|продают} <Cd> то, что {сервис|склад|операционный отдел} {не может выполнить|никогда не успевает сделать}.",
            "<Cd:cap> говорят, что {всё будет готово за неделю|у них будет персональный менеджер|установка бесплатная}, а потом {нам приходится|поддержке приходится} объяснять, что это не так.",
            "{Давят планы, сделку нужно закрыть любой ценой|В конце месяца сделку нужно закрыть любой ценой}, поэтому {мы обещаем лишнее|люди обещают больше, чем мы можем сделать}{, а расплачивается потом клиент||}.",
            "{Половина жалоб|Большая часть жалоб} {на горячей линии|от клиентов} начинается с обещания, {которое дали продажники|которое дал кто-то из продаж}.",
            "{В договорах|В коммерческих предложениях} {бывают|есть} {скидки|условия|сроки}, о которых {никто в операционном отделе не знает|никто не договаривался с операционным отделом}.",
        ),
        "uk": (
            "{Продажники|Менеджери з продажів|Наші продавці} {обіцяють|продають} <Cd> те, що {сервіс|склад|операційний відділ} {фізично не може виконати|ніколи не встигає зробити}.",
            "<Cd:cap> кажуть, що {усе буде готово за тиждень|у них буде персональний менеджер|встановлення безкоштовне}, а потім {нам доводиться|підтримці доводиться} пояснювати, що це не так.",
            "{Тиснуть плани, угоду треба закрити будь-якою ціною|Наприкінці місяця угоду треба закрити будь-якою ціною}, тому {ми обіцяємо зайве|люди обіцяють більше, ніж ми можемо зробити}{, а розплачується потім клієнт||}.",
            "{Половина скарг|Більшість скарг} {на гарячій лінії|від клієнтів} починається з обіцянки, {яку дали продажники|яку дав хтось із продажів}.",
            "{У договорах|У комерційних пропозиціях} {бувають|трапляються} {знижки|умови|терміни}, про які {ніхто в операційному відділі не знає|ніхто не домовлявся з операційним відділом}.",
        ),
    },
    "hotline": {
        "en": (
            "<Cn:cap> wait {20|30|40} minutes {on the hotline|in the phone queue|to reach an agent}{ and many just hang up||}.",
            "{We promise a callback|The system promises a callback} {within an hour|the same day} but {nobody calls back|it never happens|the callback list is never cleared}.",
            "<Cn:cap> {call three times before anyone actually helps them|have to repeat their story to every new agent|get transferred from one department to another}.",
            "{The hotline|Our support line} is {understaffed|overloaded} {in the evenings|on Mondays|after every promotion}, so <Cn> {wait forever|give up|write angry reviews}.",
            "{Nobody calls back|There is no callback} when {the line is busy|a customer leaves a message|we promise to check something}.",
        ),
        "ru": (
            "<Cn:cap> ждут {по 20|по 30|по 40} минут {на горячей линии|в очереди|пока ответит оператор}{, и многие просто бросают трубку||}.",
            "{Мы обещаем перезвонить|Система обещает обратный звонок} {в течение часа|в тот же день}, но {никто не перезванивает|этого не происходит|список обратных звонков никто не разбирает}.",
            "<Cd:cap> приходится {звонить по три раза, прежде чем кто-то реально поможет|пересказывать свою историю каждому новому оператору|ходить по кругу между отделами}.",
            "{Горячая линия|Наша линия поддержки} перегружена {по вечерам|по понедельникам|после каждой акции}, поэтому <Cn> {ждут бесконечно|сдаются|пишут злые отзывы}.",
            "{Никто не перезванивает|Обратного звонка нет}, когда {линия занята|клиент оставляет сообщение|мы обещаем что-то проверить}.",
        ),
        "uk": (
            "<Cn:cap> чекають {по 20|по 30|по 40} хвилин {на гарячій лінії|у черзі|поки відповість оператор}{, і багато хто просто кладе слухавку||}.",
            "{Ми обіцяємо передзвонити|Система обіцяє зворотний дзвінок} {протягом години|того ж дня}, але {ніхто не передзвонює|цього не відбувається|список зворотних дзвінків ніхто не розбирає}.",
            "<Cd:cap> доводиться {телефонувати по три рази, перш ніж хтось реально допоможе|переказувати свою історію кожному новому операторові|ходити по колу між відділами}.",
            "{Гаряча лінія|Наша лінія підтримки} перевантажена {увечері|по понеділках|після кожної акції}, тому <Cn> {чекають безкінечно|здаються|пишуть злі відгуки}.",
            "{Ніхто не передзвонює|Зворотного дзвінка немає}, коли {лінія зайнята|клієнт залишає повідомлення|ми обіцяємо щось перевірити}.",
        ),
    },
    "billing": {
        "en": (
            "<Cn:cap> {are charged twice|get double-charged|receive duplicate invoices} {for the same order|after every plan change|when a payment is retried}.",
            "{We issue|We have to issue} {credit notes|refunds} for {billing errors|double charges} {every single week|almost daily}{, it is embarrassing||}.",
            "{Invoices|Bills} {go out|are sent} with {the wrong VAT|old prices|the wrong discount}, and <Cn> {dispute them|refuse to pay|call us to complain}.",
            "{Half of|Most of} the {billing disputes|payment complaints} {come from|are caused by} {the new invoicing system|a bug in invoice generation|manual corrections in the ledger}.",
            "{A customer|A client|One buyer} was {double-charged|sent the same invoice} {three times|twice} {last month|this quarter} and nobody noticed until they {complained|called}.",
        ),
        "ru": (
            "С <Cg> {списывают деньги дважды|берут оплату дважды} {за один и тот же заказ|после каждой смены тарифа|при повторной попытке оплаты}.",
            "<Cd:cap> {приходят дублирующиеся счета|выставляют двойные счета} {за один и тот же заказ|после смены тарифа}.",
            "{Мы оформляем|Нам приходится оформлять} {возвраты|корректировки} из-за {ошибок в счетах|двойных списаний} {каждую неделю|почти каждый день}{, это стыдно||}.",
            "{Счета|Счета-фактуры} уходят {с неправильным НДС|по старым ценам|с неверной скидкой}, и <Cn> {их оспаривают|отказываются платить|звонят жаловаться}.",
            "{Большинство|Половина} {споров по счетам|жалоб на оплату} возникает из-за {новой системы выставления счетов|ошибки в формировании счетов|ручных правок в учёте}.",
            "{Одному клиенту|Одному заказчику} {в прошлом месяце|в этом квартале} {трижды|дважды} выставили один и тот же счёт, и никто не заметил, пока он не {пожаловался|позвонил}.",
        ),
        "uk": (
            "З <Cg> {списують гроші двічі|беруть оплату двічі} {за одне й те саме замовлення|після кожної зміни тарифу|під час повторної спроби оплати}.",
            "<Cd:cap> {приходять дубльовані рахунки|виставляють подвійні рахунки} {за одне й те саме замовлення|після зміни тарифу}.",
            "{Ми оформлюємо|Нам доводиться оформлювати} {повернення|коригування} через {помилки в рахунках клієнтам|подвійні списання} {щотижня|майже щодня}{, це соромно||}.",
            "{Рахунки|Рахунки-фактури} йдуть {з неправильним ПДВ|за старими цінами|з невірною знижкою}, і <Cn> {їх оскаржують|відмовляються платити|телефонують зі скаргами}.",
            "{Більшість|Половина} {спорів щодо рахунків|скарг на оплату} виникає через {нову систему виставлення рахунків|помилку у формуванні рахунків|ручні правки в обліку}.",
            "{Одному клієнтові|Одному замовникові} {минулого місяця|цього кварталу} {тричі|двічі} виставили той самий рахунок, і ніхто не помітив, поки він не {поскаржився|зателефонував}.",
        ),
    },
    "app": {
        "en": (
            "{The tracking page|Order tracking in the app|The website} {shows the wrong status|is often down|never updates}, so <Cn> call us to ask where their order is.",
            "<Cn:cap> cannot {change the delivery address|cancel an order|log in} {in the app|online} and {have to call|end up calling} {us|support}.",
            "{The mobile app|Our app} {crashes at checkout|logs people out|loses the basket}{ on older phones||}, and we lose sales.",
        ),
        "ru": (
            "{Страница отслеживания|Отслеживание заказа в приложении|Сайт} {показывает неправильный статус|часто не работает|не обновляется}, поэтому <Cn> звонят нам и спрашивают, где их заказ.",
            "<Cn:cap> не могут {поменять адрес доставки|отменить заказ|войти в личный кабинет} {в приложении|на сайте} и {вынуждены звонить|в итоге звонят} {нам|в поддержку}.",
            "{Мобильное приложение|Наше приложение} {вылетает при оформлении заказа|выкидывает из аккаунта|теряет корзину}{ на старых телефонах||}, и мы теряем продажи.",
        ),
        "uk": (
            "{Сторінка відстеження|Відстеження замовлення в застосунку|Сайт} {показує неправильний статус|часто не працює|не оновлюється}, тому <Cn> телефонують нам і питають, де їхнє замовлення.",
            "<Cn:cap> не можуть {змінити адресу доставки|скасувати замовлення|увійти в особистий кабінет} {у застосунку|на сайті} і {змушені телефонувати|зрештою телефонують} {нам|у підтримку}.",
            "{Мобільний застосунок|Наш застосунок} {вилітає під час оформлення замовлення|викидає з акаунта|губить кошик}{ на старих телефонах||}, і ми втрачаємо продажі.",
        ),
    },
    "damaged": {
        "en": (
            "<Cn:cap> {receive|get} {damaged boxes|broken items|the wrong items} {more and more often|every week|after every peak}{ because packing is rushed||}.",
            "{Packaging|The packing} is so {poor|cheap|careless} that {fragile orders|glass items|electronics} arrive {broken|damaged}.",
            "{Wrong items|Wrong sizes|Incomplete orders} go out because {pickers are rushed|the labels are wrong|stock data is wrong}, and the {customer|client|buyer} has to wait for a replacement.",
        ),
        "ru": (
            "<Cn:cap> {получают|всё чаще получают|каждую неделю получают} {мятые коробки|сломанные товары|не те товары}{, потому что упаковывают в спешке||}.",
            "Упаковка настолько {плохая|дешёвая|небрежная}, что {хрупкие заказы|стеклянные товары|бытовые приборы} {приходят|доезжают} {разбитыми|повреждёнными}.",
            "{Не те товары|Не те размеры|Неполные заказы} уходят, потому что {сборщики торопятся|этикетки перепутаны|данные по остаткам неверные}, и {клиенту|покупателю|заказчику} приходится ждать замену.",
        ),
        "uk": (
            "<Cn:cap> {отримують|дедалі частіше отримують|щотижня отримують} {пом'яті коробки|зламані товари|не ті товари}{, бо пакують поспіхом||}.",
            "Пакування настільки {погане|дешеве|недбале}, що {крихкі замовлення|скляні товари|побутові прилади} {приходять|доїжджають} {розбитими|пошкодженими}.",
            "{Не ті товари|Не ті розміри|Неповні замовлення} відправляють, бо {комплектувальники поспішають|етикетки переплутані|дані про залишки неправильні}, і {клієнтові|покупцеві|замовникові} доводиться чекати на заміну.",
        ),
    },
    "returns": {
        "en": (
            "{The returns process is|Sending an item back is|Arranging a return is} {so complicated|so slow|such a nightmare} that <Cn> {give up|leave bad reviews|never order again}.",
            "{A return pickup takes|Collecting a returned parcel takes} {three weeks|a week|ages} to arrange{ and customers keep calling us||}.",
            "{Couriers|Drivers} are not allowed to take returns {at the door|on delivery}, so {the customer|the client} has to {go to a pickup point|book a second visit}.",
        ),
        "ru": (
            "{Вернуть товар|Отправить покупку обратно|Сдать неподошедший товар} {так сложно|так долго|настолько муторно}, что <Cn> {сдаются|пишут плохие отзывы|больше не заказывают}.",
            "Забрать товар обратно курьер может {только через три недели|только через неделю|очень нескоро}{, и клиенты постоянно нам звонят||}.",
            "{Курьеры|Водители} не могут забрать товар обратно {у двери|при доставке}, поэтому {клиенту|покупателю} приходится {ехать в пункт выдачи|заказывать повторный визит}.",
        ),
        "uk": (
            "{Повернути товар|Відправити покупку назад|Здати товар, що не підійшов,} {так складно|так довго|настільки морочливо}, що <Cn> {відмовляються від покупок|пишуть погані відгуки|більше не замовляють}.",
            "Забрати товар назад кур'єр може {лише через три тижні|лише через тиждень|дуже нескоро}{, і клієнти постійно нам телефонують||}.",
            "{Кур'єри|Водії} не можуть забрати товар назад {біля дверей|під час доставки}, тому {клієнтові|покупцеві} доводиться {їхати до пункту видачі|замовляти повторний візит}.",
        ),
    },
    # ---- traps: "client" that is not a customer, and "no contact"
    "email_client": {
        "en": (
            "The {e-mail|mail} client {crashes|freezes} {every time I attach a file|several times a day}{, please replace it||}.",
            "{Our|The} {mail client|e-mail client} {keeps losing|does not sync} {my calendar|messages}.",
        ),
        "ru": (
            "Почтовый клиент {падает|зависает} {каждый раз, когда я прикрепляю файл|по несколько раз в день}{, замените его, пожалуйста||}.",
            "Почтовый клиент {теряет|не синхронизирует} {календарь|письма}.",
        ),
        "uk": (
            "Поштовий клієнт {падає|зависає} {щоразу, коли я прикріплюю файл|по кілька разів на день}{, замініть його, будь ласка||}.",
            "Поштовий клієнт {губить|не синхронізує} {календар|листи}.",
        ),
    },
    "internal_client": {
        "en": (
            "Our internal clients {in Sales|in Finance|from other departments} {send tickets without any details|expect every request done the same day|bypass the service desk}.",
            "{Internal customers|Internal clients} {change requirements|add new requests} {every sprint|in the middle of a release}{, so we never finish on time||}.",
        ),
        "ru": (
            "Наши внутренние клиенты {из отдела продаж|из финансов|из других отделов} {присылают заявки без всяких подробностей|ждут, что любой запрос сделают в тот же день|обходят сервис-деск}.",
            "Внутренние {заказчики|клиенты} {меняют требования|добавляют новые задачи} {каждый спринт|посреди релиза}{, поэтому мы никогда не успеваем в срок||}.",
        ),
        "uk": (
            "Наші внутрішні клієнти {з відділу продажів|з фінансів|з інших відділів} {надсилають заявки без жодних подробиць|чекають, що будь-який запит зроблять того ж дня|обходять сервіс-деск}.",
            "Внутрішні {замовники|клієнти} {змінюють вимоги|додають нові задачі} {кожен спринт|посеред релізу}{, тому ми ніколи не встигаємо вчасно||}.",
        ),
    },
    "no_contact": {
        "en": ("{I don't work with customers directly|I have no contact with clients in my role|Not really my area, I don't talk to customers}.",),
        "ru": ("{Я напрямую не работаю с клиентами|В моей роли нет контакта с клиентами|Не моя тема, с клиентами я не общаюсь}.",),
        "uk": ("{Я безпосередньо не працюю з клієнтами|У моїй ролі немає контакту з клієнтами|Не моя тема, з клієнтами я не спілкуюся}.",),
    },
    # ---- exit reasons and what would have kept people
    "relocation": {
        "en": (
            "{I am moving|My family is moving|We are relocating} {to another city|to another country|closer to my parents}{ and there is no office there||}.",
            "{My partner got a job|My wife was offered a position|My husband was offered a job} {in another city|abroad}, so {I have to leave|we are moving}.",
        ),
        "ru": (
            "{Я переезжаю|Мы с семьёй переезжаем} {в другой город|в другую страну|ближе к родителям}{, а офиса там нет||}.",
            "{Мужу предложили работу|Жене предложили работу|Партнёр получил работу} {в другом городе|за границей}, поэтому {мне приходится уйти|мы переезжаем}.",
        ),
        "uk": (
            "{Я переїжджаю|Ми з родиною переїжджаємо} {до іншого міста|до іншої країни|ближче до батьків}{, а офісу там немає||}.",
            "{Чоловікові запропонували роботу|Дружині запропонували роботу|Партнер отримав роботу} {в іншому місті|за кордоном}, тому {мені доводиться піти|ми переїжджаємо}.",
        ),
    },
    "personal": {
        "en": (
            "{Personal reasons|Family reasons|Health reasons}{, nothing to do with the company||, I would rather not go into details}.",
            "I {need to|have to} {take care of a family member|look after my children|help my parents} {for a while|full time}.",
            "{I am going back to study|I am starting a master's degree} {full time|abroad}.",
        ),
        "ru": (
            "{По личным причинам|По семейным обстоятельствам|По состоянию здоровья}{, с компанией это не связано||}.",
            "Мне нужно {ухаживать за родственником|сидеть с детьми|помогать родителям} {какое-то время|полный день}.",
            "{Я возвращаюсь к учёбе|Я поступил в магистратуру} {на очное отделение|за границей}.",
        ),
        "uk": (
            "{Іду з особистих причин|Іду через сімейні обставини|Мушу піти за станом здоров'я}{, з компанією це не пов'язано||}.",
            "Мені потрібно {доглядати за родичем|сидіти з дітьми|допомагати батькам} {якийсь час|повний день}.",
            "{Я повертаюся до університету|Я вступив на магістерську програму} {на денну форму|за кордоном}.",
        ),
    },
    "better_offer": {
        "en": (
            "{A competitor offered me|Another company offered me} {30% more|40% more|almost double the salary}{ and a better title|, plus full remote work||}.",
            "{The offer|Their offer} {was simply too good to refuse|included a signing bonus and a bigger team}.",
            "I {found|got} a {better-paid|more senior} position {closer to home|in a bigger company|with a clear career path}.",
        ),
        "ru": (
            "{Конкурент предложил мне|Другая компания предложила мне} {на 30% больше|на 40% больше|почти вдвое больше}{ и должность выше|, плюс полностью удалённую работу||}.",
            "От {такого предложения|их предложения} {просто невозможно было отказаться|трудно было отказаться}.",
            "Я нашёл {более высокооплачиваемую|более старшую} позицию {ближе к дому|в крупной компании|с понятным карьерным ростом}.",
        ),
        "uk": (
            "{Конкурент запропонував мені|Інша компанія запропонувала мені} {на 30% більше|на 40% більше|майже вдвічі більше}{ і вищу посаду|, плюс повністю віддалену роботу||}.",
            "Від {такої пропозиції|їхньої пропозиції} {просто неможливо було відмовитися|важко було відмовитися}.",
            "Я знайшов {краще оплачувану|старшу} позицію {ближче до дому|у великій компанії|із зрозумілим кар'єрним зростанням}.",
        ),
    },
    "keep_pay": {
        "en": (
            "{A fair salary review|A counter-offer|Indexing pay to inflation} {would have kept me|might have changed my mind}{ a year ago||}.",
            "Pay people {at market rate|what the job is worth} — I {asked my manager twice|raised it several times}.",
        ),
        "ru": (
            "Меня {удержал бы|мог бы удержать} {честный пересмотр зарплаты|нормальный контроффер|пересмотр оклада по рынку}{ год назад||}.",
            "Платите {по рынку|столько, сколько стоит эта работа} — я {дважды просил об этом руководителя|несколько раз об этом говорил}.",
        ),
        "uk": (
            "Мене {міг би утримати|цілком міг би утримати} {чесний перегляд зарплати|нормальний контрофер|перегляд окладу за ринком}{ рік тому||}.",
            "Платіть {за ринком|стільки, скільки коштує ця робота} — я {двічі просив про це керівника|кілька разів про це казав}.",
        ),
    },
    "keep_career": {
        "en": (
            "{A real promotion path|A clear next step|Moving me to a senior role} {would have kept me|was all I wanted}.",
            "{Talk to people about their growth|Give people a development plan} before they {start looking|get an offer}.",
        ),
        "ru": (
            "Меня удержала бы {возможность реального карьерного роста|возможность перейти на старшую позицию|перспектива понятного следующего шага}.",
            "{Говорите с людьми об их развитии|Давайте людям план развития} до того, как они {начнут искать работу|получат оффер}.",
        ),
        "uk": (
            "Мене утримала б {можливість реального кар'єрного зростання|можливість перейти на старшу посаду|перспектива зрозумілого наступного кроку}.",
            "{Говоріть з людьми про їхній розвиток|Давайте людям індивідуальний план розвитку} до того, як вони {почнуть шукати роботу|отримають офер}.",
        ),
    },
    "keep_manager": {
        "en": (
            "{A different manager|Moving me to another team} would have kept me{, but my complaints were ignored||}.",
            "{Train|Check on} your {managers|team leads} — people leave managers, not companies.",
        ),
        "ru": (
            "Меня удержал бы {другой руководитель|перевод в другую команду}{, но мои жалобы игнорировали||}.",
            "{Обучайте|Проверяйте} {руководителей|тимлидов} — люди уходят от начальников, а не из компаний.",
        ),
        "uk": (
            "Мене утримав би {інший керівник|перехід в іншу команду}{, але мої скарги ігнорували||}.",
            "{Навчайте|Перевіряйте} {керівників|тімлідів} — люди йдуть від начальників, а не з компаній.",
        ),
    },
    "keep_workload": {
        "en": (
            "{Hiring more people|A normal workload|Fewer overtime hours} would have {made me stay|changed everything}.",
            "{Listen when people say they are overloaded|Plan shifts realistically}.",
        ),
        "ru": (
            "{Если бы наняли больше людей|Если бы нагрузка была нормальной|Если бы не было постоянных переработок}, я бы {остался|не ушёл}.",
            "{Слушайте людей, когда они говорят о перегрузке|Планируйте смены реалистично}.",
        ),
        "uk": (
            "{Якби найняли більше людей|Якби навантаження було нормальним|Якби не було постійних переробок}, я б {лишився в компанії|не пішов}.",
            "{Слухайте працівників, коли вони кажуть про перевантаження|Плануйте зміни реалістично}.",
        ),
    },
    "keep_flex": {
        "en": ("{Remote work|A hybrid schedule|Flexible hours} would have kept me{, the commute was exhausting||}.",),
        "ru": ("Меня удержала бы {удалённая работа|возможность гибридного графика|гибкость в рабочих часах}{, дорога выматывала||}.",),
        "uk": ("Мене утримала б {віддалена робота|можливість гібридного графіка|гнучкість у робочих годинах}{, дорога виснажувала||}.",),
    },
    "keep_nothing": {
        "en": ("{Nothing really|Honestly nothing}, {it was a personal decision|the move was unavoidable}.",
               "Nothing, I {enjoyed|really enjoyed} working here."),
        "ru": ("{Ничего|Честно, ничего}, {это было личное решение|переезд был неизбежен}.",
               "Ничего, мне {здесь|очень} нравилось работать."),
        "uk": ("{Нічого|Чесно, нічого}, {це було особисте рішення|переїзд був неминучим}.",
               "Нічого, мені {тут|дуже} подобалося працювати."),
    },
}

GENERAL_THEMES = ("career", "manager", "workload", "tools", "recognition", "pay", "collaboration",
                  "flexibility", "wellbeing", "goals")
CUSTOMER_THEMES = ("delivery", "oversell", "hotline", "billing", "app", "damaged", "returns")
#: survey item behind each general theme (low ratings make the theme likelier in comments)
_THEME_ITEM = {"career": "Career growth", "manager": "Manager support", "workload": "Workload is manageable",
               "tools": "Tools and resources", "recognition": "Recognition", "pay": "Pay is fair",
               "collaboration": "Team collaboration", "flexibility": "Flexibility", "wellbeing": "Wellbeing support",
               "goals": "Clear goals"}
#: what each role says about customers (theme → weight); billing only in Finance
_CUSTOMER_MIX = {
    "Customer Support Agent": {"hotline": .40, "delivery": .20, "oversell": .15, "returns": .10, "app": .15},
    "Sales Representative": {"oversell": .35, "delivery": .25, "hotline": .15, "app": .10, "returns": .15},
    "Account Manager": {"oversell": .25, "delivery": .25, "hotline": .25, "returns": .10, "app": .15},
    "Delivery Driver": {"delivery": .45, "damaged": .20, "app": .10, "hotline": .15, "returns": .10},
    "Warehouse Operative": {"damaged": .30, "delivery": .35, "returns": .20, "oversell": .05, "hotline": .10},
    "Software Engineer": {"app": .40, "hotline": .15, "delivery": .15, "internal_client": .30},
    "Finance Analyst": {"billing": .55, "delivery": .15, "hotline": .15, "returns": .15},
    "HR Specialist": {"hotline": .30, "delivery": .30, "app": .20, "no_contact": .20},
    "Marketing Specialist": {"app": .30, "oversell": .20, "hotline": .20, "delivery": .20, "returns": .10},
}
_EXIT_THEMES = {"Pay": ("pay", "keep_pay"), "Career growth": ("career", "keep_career"),
                "Management": ("manager", "keep_manager"), "Workload": ("workload", "keep_workload"),
                "Relocation": ("relocation", "keep_flex"), "Personal": ("personal", "keep_nothing"),
                "Better offer": ("better_offer", "keep_pay")}

_BOILERPLATE = {
    "en": ("n/a", "N/A", "-", "no comment", "Nothing to add.", "nothing"),
    "ru": ("нет", "Нет", "нечего добавить", "без комментариев"),
    "uk": ("немає", "Нічого", "без коментарів", "нічого додати"),
}
_TAILS = {
    "en": (" This has been going on for months.", " It is really frustrating.", " Please do something about it.",
           " Everyone in the team says the same."),
    "ru": (" Это продолжается уже несколько месяцев.", " Это очень раздражает.", " Пожалуйста, сделайте что-нибудь.",
           " Вся команда говорит то же самое."),
    "uk": (" Це триває вже кілька місяців.", " Це дуже дратує.", " Будь ласка, зробіть щось із цим.",
           " Уся команда каже те саме."),
}
_PII = {
    "en": ("$NAME in our team can confirm this.", "You can reach me at $EMAIL.",
           "Call me on $PHONE if you need details.", "Ask $NAME, they know the details."),
    "ru": ("Это может подтвердить $NAME из нашей команды.", "Пишите мне на $EMAIL.",
           "Мой телефон $PHONE, звоните.", "Подробности знает $NAME."),
    "uk": ("Це може підтвердити $NAME з нашої команди.", "Пишіть мені на $EMAIL.",
           "Мій телефон $PHONE, телефонуйте.", "Подробиці знає $NAME."),
}
_PHONE_FORMATS = {"Kyiv": "+380 67 ### ## ##", "Lviv": "+380 50 ### ## ##", "Kharkiv": "+380 93 ### ## ##",
                  "Warsaw": "+48 6## ### ###", "London": "+44 7700 9#####", "Almaty": "+7 701 ### ## ##"}

# --------------------------------------------------------------------------- names
# (native spelling, Latin spelling for e-mail); Russian surnames as (masculine, feminine, latin)
_UK_FIRST = {"M": [("Олександр", "oleksandr"), ("Андрій", "andrii"), ("Дмитро", "dmytro"), ("Сергій", "serhii"),
                   ("Іван", "ivan"), ("Тарас", "taras"), ("Максим", "maksym"), ("Богдан", "bohdan")],
             "F": [("Олена", "olena"), ("Ірина", "iryna"), ("Наталія", "nataliia"), ("Оксана", "oksana"),
                   ("Юлія", "yuliia"), ("Катерина", "kateryna"), ("Марія", "mariia"), ("Софія", "sofiia")]}
_UK_LAST = [("Петренко", "petrenko"), ("Шевченко", "shevchenko"), ("Коваленко", "kovalenko"),
            ("Бондаренко", "bondarenko"), ("Ткаченко", "tkachenko"), ("Мельник", "melnyk"), ("Кравчук", "kravchuk"),
            ("Бойко", "boiko"), ("Лисенко", "lysenko"), ("Гнатюк", "hnatiuk"), ("Савчук", "savchuk"),
            ("Поліщук", "polishchuk")]
_RU_FIRST = {"M": [("Иван", "ivan"), ("Алексей", "aleksei"), ("Дмитрий", "dmitrii"), ("Сергей", "sergei"),
                   ("Артём", "artem"), ("Никита", "nikita"), ("Михаил", "mikhail"), ("Ерлан", "erlan")],
             "F": [("Анна", "anna"), ("Мария", "maria"), ("Екатерина", "ekaterina"), ("Ольга", "olga"),
                   ("Татьяна", "tatiana"), ("Светлана", "svetlana"), ("Айгерим", "aigerim"), ("Дарья", "daria")]}
_RU_LAST = [("Иванов", "Иванова", "ivanov"), ("Смирнов", "Смирнова", "smirnov"), ("Кузнецов", "Кузнецова", "kuznetsov"),
            ("Попов", "Попова", "popov"), ("Соколов", "Соколова", "sokolov"), ("Лебедев", "Лебедева", "lebedev"),
            ("Морозов", "Морозова", "morozov"), ("Волков", "Волкова", "volkov"), ("Ахметов", "Ахметова", "akhmetov"),
            ("Касымов", "Касымова", "kasymov"), ("Новиков", "Новикова", "novikov")]
_EN_FIRST = {"M": ["John", "James", "Oliver", "Harry", "Daniel", "Thomas", "George", "Jack"],
             "F": ["Emma", "Sophie", "Olivia", "Emily", "Charlotte", "Grace", "Amelia", "Lucy"]}
_EN_LAST = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Clarke", "Walker", "Wright", "Hughes"]
_PL_FIRST = {"M": [("Piotr", "piotr"), ("Tomasz", "tomasz"), ("Paweł", "pawel"), ("Michał", "michal"),
                   ("Jakub", "jakub")],
             "F": [("Anna", "anna"), ("Katarzyna", "katarzyna"), ("Magdalena", "magdalena"),
                   ("Agnieszka", "agnieszka"), ("Zofia", "zofia")]}
_PL_LAST = [("Nowak", "Nowak", "nowak"), ("Kowalski", "Kowalska", "kowalski"), ("Wiśniewski", "Wiśniewska", "wisniewski"),
            ("Wójcik", "Wójcik", "wojcik"), ("Kamiński", "Kamińska", "kaminski"), ("Lewandowski", "Lewandowska", "lewandowski")]
_FACILITATORS = {"en": ("Emma Clarke", "Anna Nowak"), "ru": ("Дмитрий Соколов", "Айгерим Касымова"),
                 "uk": ("Оксана Мельник", "Тарас Гнатюк")}

# --------------------------------------------------------------------------- EVP
_ALL_OFFICE = "Sales Representative; Account Manager; Software Engineer; Finance Analyst; HR Specialist; Marketing Specialist"
# benefit: (pillar, description, roles_offered, importance mean, satisfaction mean)
BENEFITS = {
    "Competitive base pay": ("Pay & reward", "Salaries reviewed every year against the market.", "all", 4.6, 2.9),
    "Annual bonus": ("Pay & reward", "Bonus of up to 15% of salary tied to company and team results.",
                     _ALL_OFFICE, 4.0, 2.8),
    "Transport allowance": ("Pay & reward", "Monthly allowance for fuel or public transport.",
                            "Delivery Driver; Sales Representative; Account Manager; Warehouse Operative", 3.6, 3.3),
    "Learning budget": ("Growth", "Up to 1,000 EUR a year for courses, books and conferences.", "all", 4.3, 2.3),
    "Mentoring programme": ("Growth", "A mentor from another team for six months.", "all", 3.4, 3.3),
    "Internal mobility": ("Growth", "Open internal vacancies first to current staff.", "all", 3.7, 2.9),
    "Remote work": ("Flexibility", "Up to three days a week from home.", _ALL_OFFICE, 3.9, 3.9),
    "Flexible hours": ("Flexibility", "Start between 8 and 10 am; core hours 10–4.", "all", 3.8, 3.2),
    "Private health insurance": ("Wellbeing", "Medical insurance including family members.", "all", 4.4, 3.8),
    "Mental health support": ("Wellbeing", "Free, confidential sessions with a psychologist.", "all", 3.5, 3.1),
    "Gym membership": ("Wellbeing", "Discounted membership at partner gyms.", "all", 2.9, 3.4),
    "Meal allowance": ("Wellbeing", "Daily meal vouchers for shift workers.",
                       "Warehouse Operative; Delivery Driver; Customer Support Agent", 3.8, 3.5),
    "Team events": ("Culture", "Quarterly team events and a yearly company party.", "all", 2.8, 3.7),
    "Recognition awards": ("Culture", "Peer-nominated awards every quarter.", "all", 3.2, 2.9),
    "Volunteering days": ("Purpose", "Two paid days a year for volunteering.", "all", 2.7, 3.6),
}
_FIELD_ROLES = ("Delivery Driver", "Warehouse Operative")
_RATED_PER_PERSON = 5


@dataclass
class DemoData:
    """The demo organisation, one frame per source kind, shaped like CSV exports.

    Attributes:
        survey, exit, focus, evp_catalog, evp_ratings: the frames.
        mappings: per kind, the column mapping (the JSON shape the ingest step takes).
        headcount: employees on the books at each survey wave (for response rates).
    """

    survey: pd.DataFrame
    exit: pd.DataFrame
    focus: pd.DataFrame
    evp_catalog: pd.DataFrame
    evp_ratings: pd.DataFrame
    mappings: dict[str, dict]
    headcount: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- text helpers

_ALT = re.compile(r"\{([^{}]*)\}")


def _expand(rng: np.random.Generator, template: str, lang: str) -> str:
    """Fill customer words and pick one option of every ``{a|b|c}`` (innermost first)."""
    for token, words in _CUSTOMER_WORDS[lang].items():
        template = template.replace(token[:-1] + ":cap>", "^" + words).replace(token, words)
    while "{" in template:
        template = _ALT.sub(lambda m: (opts := m.group(1).split("|"))[int(rng.integers(len(opts)))], template)
    # "^word" marks a word that starts the sentence
    return re.sub(r"\^(\w)", lambda m: m.group(1).upper(), template)


def say(rng: np.random.Generator, theme: str, lang: str, tail: float = 0.0) -> str:
    """One statement on ``theme`` in ``lang``, with a generic tail sentence with probability ``tail``."""
    templates = PHRASES[theme][lang]
    text = _expand(rng, templates[int(rng.integers(len(templates)))], lang)
    if tail and rng.random() < tail:
        text += _TAILS[lang][int(rng.integers(len(_TAILS[lang])))]
    return text


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _phone(rng: np.random.Generator, location: str) -> str:
    return re.sub("#", lambda _: str(int(rng.integers(10))), _PHONE_FORMATS[location])


def _pii_sentence(rng: np.random.Generator, lang: str, colleague: str, email: str, location: str) -> str:
    template = _PII[lang][int(rng.integers(len(_PII[lang])))]
    return (template.replace("$NAME", colleague).replace("$EMAIL", email)
            .replace("$PHONE", _phone(rng, location)))


# --------------------------------------------------------------------------- people

def _name(rng: np.random.Generator, lang: str, location: str, gender: str) -> tuple[str, str, str]:
    """(display name, latin first, latin last) — native script for ru/uk speakers."""
    g = gender if gender in ("M", "F") else ("M", "F")[int(rng.integers(2))]
    fem = g == "F"
    if lang == "uk" or (lang == "en" and location in ("Kyiv", "Lviv", "Kharkiv")):
        first, f_lat = _UK_FIRST[g][int(rng.integers(len(_UK_FIRST[g])))]
        last, l_lat = _UK_LAST[int(rng.integers(len(_UK_LAST)))]
    elif lang == "ru" or location == "Almaty":
        first, f_lat = _RU_FIRST[g][int(rng.integers(len(_RU_FIRST[g])))]
        m, f, l_lat = _RU_LAST[int(rng.integers(len(_RU_LAST)))]
        last, l_lat = (f, l_lat + "a") if fem else (m, l_lat)
    elif location == "Warsaw":
        first, f_lat = _PL_FIRST[g][int(rng.integers(len(_PL_FIRST[g])))]
        m, f, l_lat = _PL_LAST[int(rng.integers(len(_PL_LAST)))]
        last = f if fem else m
        l_lat = l_lat[:-1] + "a" if fem and l_lat.endswith("i") else l_lat
    else:
        first = _EN_FIRST[g][int(rng.integers(len(_EN_FIRST[g])))]
        last = _EN_LAST[int(rng.integers(len(_EN_LAST)))]
        f_lat, l_lat = first.lower(), last.lower()
    if lang == "en" and location in ("Kyiv", "Lviv", "Kharkiv", "Almaty"):
        return f"{f_lat.title()} {l_lat.title()}", f_lat, l_lat  # English speakers write their name in Latin
    return f"{first} {last}", f_lat, l_lat


def _staff(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Everyone on the books on the first day of the year (before leavers and hires)."""
    shares = np.array([ROLES[r][0] for r in ROLE_NAMES])
    role = rng.choice(len(ROLE_NAMES), size=n, p=shares / shares.sum())
    rows = []
    for i in range(n):
        r = ROLE_NAMES[role[i]]
        _, depts, field_role = ROLES[r]
        dept = list(depts)[int(rng.choice(len(depts), p=np.array(list(depts.values()))))]
        rows.append(_person(rng, f"E{i + 1:05d}", r, dept, None, field_role,
                            hired=_YEAR_START - timedelta(days=int(rng.gamma(1.6, 2.2) * 365.25) + 7)))
    return pd.DataFrame(rows)


def _person(rng, pid: str, role: str, dept: str, location: str | None, field_role: bool, hired: date) -> dict:
    if location is None:
        p = np.array(_LOC_FIELD if field_role else _LOC_OFFICE)
        location = LOCATIONS[int(rng.choice(len(LOCATIONS), p=p / p.sum()))]
    lang = LANGS[int(rng.choice(3, p=np.array(_LANG_BY_LOCATION[location])))]
    gender = ("F", "M", "X")[int(rng.choice(3, p=[0.48, 0.49, 0.03]))]
    name, f_lat, l_lat = _name(rng, lang, location, gender)
    age = ("18-24", "25-34", "35-44", "45-54", "55+")[int(rng.choice(5, p=[0.14, 0.36, 0.27, 0.15, 0.08]))]
    return {"respondent_id": pid, "role": role, "department": dept, "location": location, "lang": lang,
            "gender": {"F": "Female", "M": "Male", "X": "Prefer not to say"}[gender], "age_band": age,
            "employee_name": name, "latin": f"{f_lat}.{l_lat}", "hired": hired, "left": None, "z": rng.normal()}


def _emails(people: pd.DataFrame) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for base in people["latin"]:
        k = seen.get(base, 0)
        seen[base] = k + 1
        out.append(f"{base}{k + 1 if k else ''}@{DOMAIN}")
    return out


def _tenure_band(hired: date, on: date) -> str:
    years = (on - hired).days / 365.25
    return TENURE_BANDS[0] if years < 1 else TENURE_BANDS[1] if years < 3 else TENURE_BANDS[2] if years < 5 \
        else TENURE_BANDS[3]


# attrition over the year by role, and how leaving is spread over the four quarters
_ATTRITION = {"Delivery Driver": .28, "Warehouse Operative": .25, "Customer Support Agent": .24,
              "Sales Representative": .20, "Software Engineer": .22, "Account Manager": .12,
              "Finance Analyst": .10, "HR Specialist": .10, "Marketing Specialist": .10}
_REGRET = {"Software Engineer": .80, "Account Manager": .30, "Sales Representative": .20}


def _leavers_and_hires(rng: np.random.Generator, staff: pd.DataFrame) -> pd.DataFrame:
    """Mark leavers (with a leaving date) and add the people hired to replace them."""
    staff = staff.copy()
    hires = []
    next_id = len(staff) + 1
    for i, row in staff.iterrows():
        if rng.random() >= _ATTRITION[row.role]:
            continue
        q_weights = np.array([1, 2, 3, 4.0]) if row.role == PLANTED_ROLE else np.ones(4)
        q = int(rng.choice(4, p=q_weights / q_weights.sum()))
        left = _YEAR_START + timedelta(days=int(q * 91 + rng.integers(91)))
        staff.at[i, "left"] = min(left, _YEAR_END)
        hired = left + timedelta(days=int(rng.integers(14, 75)))
        if hired <= _YEAR_END:
            hires.append(_person(rng, f"E{next_id:05d}", row.role, row.department, row.location,
                                 ROLES[row.role][2], hired))
            next_id += 1
    people = pd.concat([staff, pd.DataFrame(hires)], ignore_index=True)
    people["email"] = _emails(people)
    return people


# --------------------------------------------------------------------------- scores

_BASE = {"Career growth": 3.3, "Manager support": 3.7, "Workload is manageable": 3.3, "Tools and resources": 3.4,
         "Recognition": 3.2, "Pay is fair": 3.0, "Team collaboration": 3.8, "Flexibility": 3.5,
         "Customer focus": 3.7, "Proud to work here": 3.8, "Wellbeing support": 3.4, "Clear goals": 3.5}
_DEPT_EFFECT = {
    "Logistics": {"Workload is manageable": -1.2, "Flexibility": -0.4, "Wellbeing support": -0.3},
    "Customer Service": {"Flexibility": -0.9, "Workload is manageable": -0.4, "Recognition": -0.3},
    "IT": {"Tools and resources": 0.6, "Flexibility": 0.6, "Pay is fair": 0.3},
    "Operations": {"Workload is manageable": -0.5, "Tools and resources": -0.5},
    "Sales": {"Pay is fair": -0.3, "Customer focus": 0.3, "Clear goals": -0.3},
    "Finance": {"Clear goals": 0.3, "Team collaboration": -0.2},
    "HR": {"Wellbeing support": 0.4, "Recognition": 0.2},
    "Marketing": {"Team collaboration": 0.3, "Proud to work here": 0.2},
}
_ROLE_EFFECT = {"Delivery Driver": {"Pay is fair": -0.3}, "Warehouse Operative": {"Pay is fair": -0.4},
                "Customer Support Agent": {"Customer focus": -0.3}}
_ENPS_ROLE = {"Software Engineer": 0.4, "Delivery Driver": -0.6, "Warehouse Operative": -0.5,
              "Customer Support Agent": -0.4}
_NOISE = 0.8
_ENG = 0.45


def _scores(rng: np.random.Generator, resp: pd.DataFrame) -> pd.DataFrame:
    """Rating items (1–5) and eNPS (0–10) for every response, with the planted effects."""
    n = len(resp)
    eng = 0.7 * resp["z"].to_numpy() + 0.5 * rng.normal(size=n)
    wave = resp["wave_idx"].to_numpy()
    planted = (resp["role"] == PLANTED_ROLE).to_numpy()
    total_sd = float(np.sqrt(_NOISE ** 2 + _ENG ** 2 * (0.49 + 0.25)))
    out = {}
    for item in ITEMS:
        mu = np.full(n, _BASE[item])
        mu += resp["department"].map({d: e.get(item, 0.0) for d, e in _DEPT_EFFECT.items()}).fillna(0.0).to_numpy()
        mu += resp["role"].map({r: e.get(item, 0.0) for r, e in _ROLE_EFFECT.items()}).fillna(0.0).to_numpy()
        if item == "Career growth":  # favourable (≥ 4) iff latent ≥ 3.5: set the planted role's share exactly
            target = np.array([3.5 + total_sd * NormalDist().inv_cdf(p) for p in _CAREER_FAV])
            mu = np.where(planted, target[wave], mu)
        latent = mu + _ENG * eng + rng.normal(0, _NOISE, size=n)
        out[item] = np.clip(np.rint(latent), 1, 5).astype(int)
    enps_mu = 7.9 + resp["role"].map(lambda r: _ENPS_ROLE.get(r, 0.0)).to_numpy() - np.where(planted, 0.75 * wave, 0)
    enps = np.clip(np.rint(enps_mu + 1.5 * eng + rng.normal(0, 1.2, size=n)), 0, 10).astype(int)
    frame = pd.DataFrame(out, index=resp.index)
    frame.insert(0, "enps", enps)
    return frame


# --------------------------------------------------------------------------- survey

def _comment_improve(rng, lang: str, role: str, scores: dict[str, int]) -> str:
    weights = {t: (5.5 - scores[_THEME_ITEM[t]]) ** 3 for t in GENERAL_THEMES}
    weights["training"] = 0.5 * weights["career"]
    mean = float(np.mean(list(scores.values())))
    weights["positive"] = max(mean - 3.3, 0) ** 2 * 60
    cx = (5.5 - scores["Customer focus"]) ** 3 * (1.0 if role in CUSTOMER_FACING else 0.3)
    for theme, w in _CUSTOMER_MIX[role].items():
        if theme not in ("no_contact",):
            weights[theme] = weights.get(theme, 0) + cx * w
    weights["email_client"] = 1.2
    k = 1 if rng.random() < 0.72 else 2 if rng.random() < 0.85 else 3
    themes: list[str] = []
    while len(themes) < k:
        t = _pick(rng, weights)
        if t not in themes:
            themes.append(t)
    return " ".join(say(rng, t, lang, tail=0.15) for t in themes)


def _comment_customers(rng, lang: str, role: str) -> str:
    k = 1 if rng.random() < 0.75 else 2
    themes: list[str] = []
    while len(themes) < k:
        t = _pick(rng, _CUSTOMER_MIX[role])
        if t not in themes:
            themes.append(t)
    return " ".join(say(rng, t, lang, tail=0.12) for t in themes)


def _maybe_boilerplate(rng, lang: str, rate: float) -> str | None:
    return _BOILERPLATE[lang][int(rng.integers(len(_BOILERPLATE[lang])))] if rng.random() < rate else None


def _colleagues(people: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """Names by (department, language), so that a comment names a colleague written in its own script."""
    return people.groupby(["department", "lang"])["employee_name"].apply(list).to_dict()


def _with_pii(rng, text: str, row, colleagues: dict[tuple[str, str], list[str]]) -> str:
    names = [n for n in colleagues.get((row.department, row.lang), []) if n != row.employee_name] or ["Anna Nowak"]
    colleague = names[int(rng.integers(len(names)))]
    return f"{text} {_pii_sentence(rng, row.lang, colleague, row.email, row.location)}"


def _survey(rng: np.random.Generator, people: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    rows, headcount = [], {}
    for w, (label, on) in enumerate(zip(WAVES, _WAVE_DATES)):
        still_there = people["left"].map(lambda d, on=on: not isinstance(d, date) or d > on)
        active = people[(people["hired"] <= on) & still_there]
        headcount[label] = len(active)
        took = active[rng.random(len(active)) < _RESPONSE_RATE[w]].copy()
        took["wave"], took["wave_idx"] = label, w
        took["tenure"] = [_tenure_band(h, on) for h in took["hired"]]
        rows.append(took)
    resp = pd.concat(rows, ignore_index=True)
    scores = _scores(rng, resp)
    colleagues = _colleagues(people)
    improve, customers = [], []
    matrix = scores[list(ITEMS)].to_numpy()
    for i, row in enumerate(resp.itertuples(index=False)):
        cf = row.role in CUSTOMER_FACING
        a = b = None
        if rng.random() < 0.40:
            scores_i = dict(zip(ITEMS, matrix[i].tolist()))
            a = _maybe_boilerplate(rng, row.lang, 0.06) or _comment_improve(rng, row.lang, row.role, scores_i)
        if rng.random() < (0.38 if cf or row.role == "Finance Analyst" else 0.22):
            b = _maybe_boilerplate(rng, row.lang, 0.08) or _comment_customers(rng, row.lang, row.role)
        if a and len(a) > 12 and rng.random() < 0.012:
            a = _with_pii(rng, a, row, colleagues)
        if b and len(b) > 12 and rng.random() < 0.008:
            b = _with_pii(rng, b, row, colleagues)
        improve.append(a)
        customers.append(b)
    frame = resp[["respondent_id", "employee_name", "email", "wave", "role", "department", "location", "tenure",
                  "gender", "age_band"]].copy()
    frame["enps"] = scores["enps"].astype("Int64")
    for item in ITEMS:  # about 1.5% of ratings skipped
        frame[item] = scores[item].astype("Int64").mask(rng.random(len(frame)) < 0.015)
    frame[Q_IMPROVE] = pd.Series(improve, dtype=object)
    frame[Q_CUSTOMERS] = pd.Series(customers, dtype=object)
    return frame, headcount


# --------------------------------------------------------------------------- exits

def _exit_reason(rng, role: str, quarter: int) -> str:
    w = {"Pay": .22, "Career growth": (.06, .15, .27, .42)[quarter], "Management": .14, "Workload": .14,
         "Relocation": .08, "Personal": .08, "Better offer": .14}
    if role == PLANTED_ROLE:
        w["Career growth"] *= 3
    if role in _FIELD_ROLES:
        w["Workload"] *= 2
        w["Pay"] *= 1.5
    if role == "Customer Support Agent":
        w["Workload"] *= 1.5
        w["Management"] *= 1.3
    return _pick(rng, w)


def _exits(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    leavers = people[people["left"].notna()].copy()
    leavers = leavers[rng.random(len(leavers)) < 0.92].sort_values("left", kind="stable")
    colleagues = _colleagues(people)
    rows = []
    for row in leavers.itertuples(index=False):
        q = min((row.left - _YEAR_START).days // 91, 3)
        reason = _exit_reason(rng, row.role, q)
        others = [r for r in EXIT_REASONS if r != reason]
        extra = [str(x) for x in rng.choice(others, size=int(rng.choice(3, p=[.35, .45, .20])), replace=False)]
        regretted = rng.random() < _REGRET.get(row.role, 0.12)
        why_theme, keep_theme = _EXIT_THEMES[reason]
        why = say(rng, why_theme, row.lang, tail=0.1)
        if extra and _EXIT_THEMES[extra[0]][0] != why_theme and rng.random() < 0.5:
            why += " " + say(rng, _EXIT_THEMES[extra[0]][0], row.lang)
        cf = row.role in CUSTOMER_FACING or row.role == "Finance Analyst"
        cust = None
        if rng.random() < (0.88 if cf else 0.45):
            cust = " ".join(say(rng, _pick(rng, _CUSTOMER_MIX[row.role]), row.lang)
                            for _ in range(1 if rng.random() < 0.5 else 2))
        keep = say(rng, keep_theme, row.lang) if rng.random() < 0.8 else None
        if rng.random() < 0.015:
            why = _with_pii(rng, why, row, colleagues)
        ratings = {}
        for item in EXIT_ITEMS:
            mu = 2.9 + (0.4 if regretted else 0) - (0.9 if _EXIT_THEMES[reason][0] == _ITEM_THEME.get(item) else 0)
            ratings[item] = int(np.clip(np.rint(rng.normal(mu, 0.9)), 1, 5))
        enps = int(np.clip(np.rint(rng.normal(4.6 + (1.2 if regretted else 0), 2.2)), 0, 10))
        rows.append({"respondent_id": row.respondent_id, "employee_name": row.employee_name, "email": row.email,
                     "exit_date": row.left.isoformat(), "role": row.role, "department": row.department,
                     "location": row.location, "tenure": _tenure_band(row.hired, row.left), "gender": row.gender,
                     "reason": reason, "other_reasons": "; ".join(extra), "regretted": "yes" if regretted else "no",
                     "enps": enps, **ratings, Q_WHY: why, Q_EXIT_CUSTOMERS: cust, Q_KEEP: keep})
    frame = pd.DataFrame(rows)
    frame["other_reasons"] = frame["other_reasons"].replace("", None)
    return frame


_ITEM_THEME = {v: k for k, v in _THEME_ITEM.items()}

# --------------------------------------------------------------------------- focus groups

_FOCUS_ROLES = ("Customer Support Agent", "Delivery Driver", "Software Engineer", "Sales Representative",
                "Warehouse Operative", "Finance Analyst", "Account Manager", "Marketing Specialist",
                "HR Specialist", "Customer Support Agent", "Delivery Driver", "Software Engineer",
                "Finance Analyst", "Sales Representative", "Warehouse Operative", "Customer Support Agent",
                "Software Engineer", "Delivery Driver", "Account Manager", "Finance Analyst",
                "Marketing Specialist", "Customer Support Agent", "Warehouse Operative", "Software Engineer")


def _focus(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for k, role in enumerate(_FOCUS_ROLES):
        month = (_YEAR_START.month - 1 + k // 2) % 12 + 1
        year = _YEAR_START.year + (_YEAR_START.month - 1 + k // 2) // 12
        when = date(year, month, 9 if k % 2 == 0 else 23)
        _, depts, field_role = ROLES[role]
        dept = max(depts, key=depts.get)
        p = np.array(_LOC_FIELD if field_role else _LOC_OFFICE)
        location = LOCATIONS[int(rng.choice(len(LOCATIONS), p=p / p.sum()))]
        lang = LANGS[int(rng.choice(3, p=np.array(_LANG_BY_LOCATION[location])))]
        quarter = min((when - _YEAR_START).days // 91, 3)
        general = {t: 1.0 for t in GENERAL_THEMES}
        for item, eff in _DEPT_EFFECT.get(dept, {}).items():
            if item in _ITEM_THEME:
                general[_ITEM_THEME[item]] = max(0.2, 1.0 - 2.5 * eff)
        if role == PLANTED_ROLE:
            general["career"] = 2.0 + 2.0 * quarter
        statements: list[str] = []
        for _ in range(int(rng.integers(5, 13))):
            theme = _pick(rng, _CUSTOMER_MIX[role]) if rng.random() < 0.45 else _pick(rng, general)
            statements.append(say(rng, theme, lang))
        if rng.random() < 0.65:
            notes = "\n".join(f"- {s}" for s in statements)
        else:
            notes = " ".join(statements)
        rows.append({"session_date": when.isoformat(), "role": role, "department": dept, "location": location,
                     "facilitator": _FACILITATORS[lang][int(rng.integers(2))],
                     "participants": int(rng.integers(5, 11)), "notes": notes})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- EVP

def _offered(benefit: str, role: str) -> bool:
    roles = BENEFITS[benefit][2]
    return roles == "all" or role in [r.strip() for r in roles.split(";")]


def _evp_catalog() -> pd.DataFrame:
    return pd.DataFrame([{"benefit": b, "pillar": v[0], "description": v[1], "roles_offered": v[2]}
                         for b, v in BENEFITS.items()])


def _importance_mean(benefit: str, role: str) -> float:
    if benefit == "Remote work":
        return 4.6 if role == "Customer Support Agent" else 1.8 if role in _FIELD_ROLES else 3.9
    if benefit in ("Transport allowance", "Meal allowance") and not _offered(benefit, role):
        return 2.4
    return BENEFITS[benefit][3]


def _evp_ratings(rng: np.random.Generator, survey: pd.DataFrame) -> pd.DataFrame:
    names = list(BENEFITS)
    order = rng.random((len(survey), len(names))).argsort(axis=1)[:, :_RATED_PER_PERSON]
    base = survey[["respondent_id", "wave", "role", "department"]].reset_index(drop=True)
    frame = base.loc[base.index.repeat(_RATED_PER_PERSON)].reset_index(drop=True)
    frame["benefit"] = [names[j] for j in order.ravel()]
    imp_mu = np.array([_importance_mean(b, r) for b, r in zip(frame["benefit"], frame["role"])])
    sat_mu = np.array([BENEFITS[b][4] if _offered(b, r) else 1.5 for b, r in zip(frame["benefit"], frame["role"])])
    frame["importance"] = np.clip(np.rint(rng.normal(imp_mu, 0.65)), 1, 5).astype(int)
    frame["satisfaction"] = np.clip(np.rint(rng.normal(sat_mu, 0.8)), 1, 5).astype(int)
    return frame


# --------------------------------------------------------------------------- mappings

def _mappings() -> dict[str, dict]:
    ids = ["employee_name", "email"]
    common = {"respondent_id": "respondent_id", "role": "role", "department": "department",
              "location": "location", "tenure": "tenure", "enps": "enps"}
    return {
        "survey": {**common, "wave": "wave", "items": list(ITEMS), "text": [Q_IMPROVE, Q_CUSTOMERS],
                   "segments": ["gender", "age_band"], "identifiers": ids, "scale": {"min": 1, "max": 5}},
        "exit": {**common, "exit_date": "exit_date", "reason": "reason", "other_reasons": "other_reasons",
                 "regretted": "regretted", "items": list(EXIT_ITEMS), "text": [Q_WHY, Q_EXIT_CUSTOMERS, Q_KEEP],
                 "segments": ["gender"], "identifiers": ids, "scale": {"min": 1, "max": 5}},
        "focus": {"session_date": "session_date", "role": "role", "department": "department",
                  "location": "location", "facilitator": "facilitator", "participants": "participants",
                  "notes": "notes"},
        "evp_catalog": {"benefit": "benefit", "pillar": "pillar", "description": "description",
                        "roles_offered": "roles_offered"},
        "evp_ratings": {"respondent_id": "respondent_id", "wave": "wave", "role": "role",
                        "department": "department", "benefit": "benefit", "importance": "importance",
                        "satisfaction": "satisfaction"},
    }


# --------------------------------------------------------------------------- entry point

def generate(seed: int = 42, n_employees: int = 2000) -> DemoData:
    """Generate the demo organisation.

    Args:
        seed: seed for ``numpy.random.default_rng``; the same seed gives equal frames.
        n_employees: staff on the books at the start of the year (leavers are replaced by hires).

    Returns:
        DemoData with the frames of every kind, their column mappings and the headcount per wave.
    """
    if n_employees < 50:
        raise InputError("The demo needs at least 50 employees (try the default, 2000).")
    rng = np.random.default_rng(seed)
    people = _leavers_and_hires(rng, _staff(rng, n_employees))
    survey, headcount = _survey(rng, people)
    exits = _exits(rng, people)
    focus = _focus(rng)
    return DemoData(survey=survey, exit=exits, focus=focus, evp_catalog=_evp_catalog(),
                    evp_ratings=_evp_ratings(rng, survey), mappings=_mappings(), headcount=headcount)
