// The words of the registrar's desk, on the desk page and in the voter's page (section 1), in
// Russian and English. Written for people who know nothing of cryptography: the registrar shows
// "a code", the voter shows "an answer"; the experts' terms are only under "Details".

const en = {
    "details": "Details",
    "scan.stop": "Stop the camera",
    "error.noCamera": "The camera cannot be opened ({detail}). Allow the page to use the camera, or type the number instead.",

    "holder.heading": "At the registrar's desk",
    "holder.intro":
        "The registrar shows you a QR code. Scan it here: this page answers with a QR code of its own that proves to the registrar that this voter key is yours. Your key never leaves this device.",
    "holder.scan": "Scan the registrar's code",
    "holder.typeInstead": "No camera? Type the registrar's number instead",
    "holder.challenge": "The registrar's number",
    "holder.sign": "Make my answer",
    "holder.show": "Show this answer to the registrar's camera:",
    "holder.text": "The same answer as text (for the registrar's command line):",
    "holder.qr": "Your answer for the registrar, as a QR code",
    "error.badChallenge": "This is not the registrar's code: the number has only digits.",

    "desk.title": "Veche: registrar's desk",
    "desk.intro":
        "For each voter: the voter scans your code with their phone, then you scan the answer on their screen. The answer proves that the voter holds the key you are about to register. This page keeps nothing and sends nothing.",
    "desk.challenge.heading": "1. Let the voter scan this code",
    "desk.challenge.intro": "Make a new code for each voter (button below).",
    "desk.challenge.qr": "The code for the voter to scan",
    "desk.challenge.age": "This code was made {minutes} min ago; answers to it are accepted for {limit} min.",
    "desk.challenge.typed": "The voter has no camera",
    "desk.challenge.number": "Read this number to the voter:",
    "desk.next": "Next voter (new code)",
    "desk.answer.heading": "2. Scan the voter's answer",
    "desk.answer.intro": "Point the camera at the QR code on the voter's screen.",
    "desk.scan": "Scan the voter's answer",
    "desk.answer.ok": "Checked: the voter holds this key, and the answer is to your code.",
    "desk.answer.next": "Give this to veche registrar add (it then asks for the person's details):",
    "desk.copy": "Copy",
    "desk.copied": "Copied",
    "desk.commitment": "Voter's public number",
    "error.badAnswer": "This QR code is not a valid voter's answer (damaged, or made by something else). Ask the voter to show it again.",
    "error.wrongChallenge": "This answer is to another code, not to the one on this screen. Ask the voter to scan your current code.",
    "error.staleChallenge": "Your code is more than 30 minutes old. Press \"Next voter\" and let the voter scan the new code.",
}

const ru = {
    "details": "Подробности",
    "scan.stop": "Выключить камеру",
    "error.noCamera": "Камера не открылась ({detail}). Разрешите странице пользоваться камерой или введите число вручную.",

    "holder.heading": "У регистратора",
    "holder.intro":
        "Регистратор покажет вам QR-код. Отсканируйте его здесь: страница ответит своим QR-кодом, который подтвердит регистратору, что этот ключ избирателя — ваш. Сам ключ не покидает это устройство.",
    "holder.scan": "Отсканировать код регистратора",
    "holder.typeInstead": "Нет камеры? Введите число регистратора",
    "holder.challenge": "Число регистратора",
    "holder.sign": "Получить ответ",
    "holder.show": "Покажите этот ответ камере регистратора:",
    "holder.text": "Тот же ответ текстом (для программы регистратора):",
    "holder.qr": "Ваш ответ регистратору в виде QR-кода",
    "error.badChallenge": "Это не код регистратора: в числе должны быть только цифры.",

    "desk.title": "Вече: стол регистратора",
    "desk.intro":
        "Для каждого избирателя: избиратель сканирует ваш код своим телефоном, затем вы сканируете ответ с его экрана. Ответ подтверждает, что у избирателя есть ключ, который вы регистрируете. Эта страница ничего не хранит и никуда не отправляет.",
    "desk.challenge.heading": "1. Дайте избирателю отсканировать этот код",
    "desk.challenge.intro": "Для каждого избирателя делайте новый код (кнопка ниже).",
    "desk.challenge.qr": "Код, который сканирует избиратель",
    "desk.challenge.age": "Код создан {minutes} мин назад; ответы на него принимаются {limit} мин.",
    "desk.challenge.typed": "У избирателя нет камеры",
    "desk.challenge.number": "Продиктуйте избирателю это число:",
    "desk.next": "Следующий избиратель (новый код)",
    "desk.answer.heading": "2. Отсканируйте ответ избирателя",
    "desk.answer.intro": "Наведите камеру на QR-код на экране избирателя.",
    "desk.scan": "Отсканировать ответ избирателя",
    "desk.answer.ok": "Проверено: у избирателя есть этот ключ, и ответ дан на ваш код.",
    "desk.answer.next": "Передайте это программе регистрации (затем она спросит данные человека):",
    "desk.copy": "Копировать",
    "desk.copied": "Скопировано",
    "desk.commitment": "Открытое число избирателя",
    "error.badAnswer": "Этот QR-код — не ответ избирателя (повреждён или создан чем-то другим). Попросите показать его ещё раз.",
    "error.wrongChallenge": "Это ответ на другой код, а не на код на этом экране. Попросите избирателя отсканировать ваш текущий код.",
    "error.staleChallenge": "Вашему коду больше 30 минут. Нажмите «Следующий избиратель» и дайте отсканировать новый код.",
}

export const DESK = { en, ru }
