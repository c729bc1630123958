// The words of the vote's progress, in Russian and English.

const en = {
    "vote.stage.label": "Progress of your vote",
    "vote.stage.download": "Downloading the voting program",
    "vote.stage.register": "Preparing the list of voters",
    "vote.stage.prove": "Sealing your ballot on this device",
    "vote.stage.send": "Sending the sealed ballot",
    "vote.stage.included": "Recording it on the public ledger",
    "vote.stage.download.now": "Downloading the voting program: {mb} of {total} MB ({seconds} s)…",
    "vote.stage.register.now": "Preparing the list of voters ({seconds} s)…",
    "vote.stage.prove.now": "Sealing your ballot on this device ({seconds} s; usually a few seconds, longer on an old phone)…",
    "vote.stage.send.now": "Sending the sealed ballot ({seconds} s)…",
    "vote.stage.included.now": "Waiting for the public ledger to record your ballot ({seconds} s)…",
    "vote.stage.done": "Done: your ballot is recorded. Your receipt is below.",
    "vote.stage.failed": "Stopped: see the message below.",
    "download.csv": "Download as CSV",
    "download.json": "Download as JSON",
}

const ru = {
    "vote.stage.label": "Ход голосования",
    "vote.stage.download": "Загрузка программы для голосования",
    "vote.stage.register": "Подготовка списка избирателей",
    "vote.stage.prove": "Запечатывание бюллетеня на этом устройстве",
    "vote.stage.send": "Отправка запечатанного бюллетеня",
    "vote.stage.included": "Запись в открытый реестр",
    "vote.stage.download.now": "Загрузка программы для голосования: {mb} из {total} МБ ({seconds} с)…",
    "vote.stage.register.now": "Подготовка списка избирателей ({seconds} с)…",
    "vote.stage.prove.now": "Бюллетень запечатывается на этом устройстве ({seconds} с; обычно несколько секунд, на старом телефоне дольше)…",
    "vote.stage.send.now": "Отправка запечатанного бюллетеня ({seconds} с)…",
    "vote.stage.included.now": "Ждём, пока открытый реестр запишет ваш бюллетень ({seconds} с)…",
    "vote.stage.done": "Готово: ваш бюллетень записан. Квитанция ниже.",
    "vote.stage.failed": "Остановлено: смотрите сообщение ниже.",
    "download.csv": "Скачать таблицу (CSV)",
    "download.json": "Скачать таблицу (JSON)",
}

export const VOTE = { en, ru }
