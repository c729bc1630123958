// The words of the vote's progress, and of a ballot in the recorded mode (recorded, its seal
// checked on this device, not yet counted), in Russian and English.

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
    "status.recorded":
        "recorded on page {block} of the public ledger, its seal checked on this device: valid. The recount will count it",
    "status.unconfirmed":
        "not recorded: the ballot box server says it is in the public ledger, but this device found no copy of it with a valid seal there. It will not be counted: vote again",
    "check.recorded":
        "Your ballot is recorded on page {block} of the public ledger, and this device checked its seal: it is valid. In this election the ledger does not check ballots itself, so nobody has counted it yet: the recount, which anyone can run, will count it.",
    "error.recordsMalformed":
        "The public ledger sent damaged ballot records ({detail}). Its server may be faulty or dishonest: use another copy of the page.",
    "error.recordCheckFailed": "This device could not check the seal of your ballot's record ({detail}). Try again later.",
    "error.tooManyRecords":
        "Suspicious: {records} different records under your receipt number would have to be checked, far more than one voter makes. Your ballot is not shown here; the recount, which anyone can run, checks every one of them. Tell the election's observers.",
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
    "status.recorded":
        "записан на странице {block} открытого реестра, печать проверена на этом устройстве: верна. Его засчитает пересчёт",
    "status.unconfirmed":
        "не записан: сервер приёма бюллетеней сообщает, что бюллетень в открытом реестре, но это устройство не нашло там его копию с верной печатью. Он не будет засчитан: проголосуйте ещё раз",
    "check.recorded":
        "Ваш бюллетень записан на странице {block} открытого реестра, и это устройство проверило его печать: она верна. На этих выборах реестр сам бюллетени не проверяет, поэтому его ещё никто не засчитал: его засчитает пересчёт, который может провести любой.",
    "error.recordsMalformed":
        "Открытый реестр прислал повреждённые записи бюллетеней ({detail}). Его сервер может быть неисправен или нечестен: откройте другую копию страницы.",
    "error.recordCheckFailed": "Это устройство не смогло проверить печать записи вашего бюллетеня ({detail}). Попробуйте позже.",
    "error.tooManyRecords":
        "Подозрительно: пришлось бы проверить {records} разных записей с вашим номером квитанции, намного больше, чем делает один избиратель. Ваш бюллетень здесь не показан; пересчёт, который может провести любой, проверяет каждую из них. Сообщите наблюдателям выборов.",
}

export const VOTE = { en, ru }
