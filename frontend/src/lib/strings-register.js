// The words of the downloads that let the page work at a million voters (which district's list
// of voters this device fetches; the index of ballots), in Russian and English.

const en = {
    "register.choice": "Which list of voters to download",
    "register.all": "All districts ({mb} MB; tells nobody where you vote)",
    "register.allUnknown": "All districts (tells nobody where you vote)",
    "register.one": "Only {name} (smaller; the server that sends it sees which district you asked for)",
    "register.choice.expert":
        "The page downloads register snapshots (the commitments of a district in leaf order), rebuilds each Merkle root on this device and refuses any that differs from the root on chain. Downloading one district tells its host that this device asked for that district; downloading all tells it nothing.",
    "error.registerStale":
        "The downloaded list of voters of district {district} is older than the public ledger ({count} of {expected} voters). Try again later or use another copy of the page.",
    "error.registerDownload": "The list of voters could not be downloaded ({detail}). Try again later.",
    "error.bucketFetch": "The index of ballots could not be downloaded ({detail}). Try again later.",
    "error.bucketMalformed": "The downloaded index of ballots is damaged ({detail}); try again later or use another copy of the page.",
    "error.bucketForeign": "The downloaded index of ballots belongs to another election ({election}); use another copy of the page.",
    "error.bucketSuspicious":
        "Suspicious: the index of ballots lists your receipt number {entries} times, where an honest one lists it once. It was not followed, so that this page does not download the whole ledger. Your ballot is not shown here; the recount (veche recount) checks every ballot on its own, and reports every record with your receipt number.",
    "error.bucketTooLarge":
        "Suspicious: the index of ballots at {url} is larger than {limit} MB, far more than an honest one; it was not downloaded. Use another copy of the page, or the recount (veche recount), which checks every ballot on its own.",
    "error.lookupTooLarge":
        "Finding your ballot would mean downloading more than the page allows (from page {block} of the ledger on): the index of ballots is too old, or someone posted unusually many records. Your ballot is not shown here; try again after the index is updated, or use the recount (veche recount), which checks every ballot on its own.",
    "check.copies":
        "Warning: {copies} other records carry your receipt number (says the index of ballots). A ballot box server may have posted copies of your ballot: only one counts, and the recount (veche recount) reports every copy. Tell the election's observers.",
}

const ru = {
    "register.choice": "Какой список избирателей загрузить",
    "register.all": "Все округа ({mb} МБ; никто не узнает, где вы голосуете)",
    "register.allUnknown": "Все округа (никто не узнает, где вы голосуете)",
    "register.one": "Только {name} (меньше; сервер, который его отдаёт, увидит, какой округ вы запросили)",
    "register.choice.expert":
        "Страница загружает снимки реестров (обязательства округа в порядке листьев), заново вычисляет каждый корень Меркла на этом устройстве и отвергает тот, что не совпадает с корнем в контракте. Загрузка одного округа сообщает серверу, что это устройство запросило этот округ; загрузка всех не сообщает ничего.",
    "error.registerStale":
        "Загруженный список избирателей округа {district} старше открытого реестра ({count} из {expected} избирателей). Попробуйте позже или откройте другую копию страницы.",
    "error.registerDownload": "Не удалось загрузить список избирателей ({detail}). Попробуйте позже.",
    "error.bucketFetch": "Не удалось загрузить указатель бюллетеней ({detail}). Попробуйте позже.",
    "error.bucketMalformed": "Загруженный указатель бюллетеней повреждён ({detail}); попробуйте позже или откройте другую копию страницы.",
    "error.bucketForeign": "Загруженный указатель бюллетеней относится к другим выборам ({election}); откройте другую копию страницы.",
    "error.bucketSuspicious":
        "Подозрительно: указатель бюллетеней называет ваш номер квитанции {entries} раз, а честный — один раз. Страница не пошла по нему, чтобы не загружать весь реестр. Ваш бюллетень здесь не показан; пересчёт, который может провести любой, сам проверяет каждый бюллетень и сообщает о каждой записи с вашим номером квитанции.",
    "error.bucketTooLarge":
        "Подозрительно: указатель бюллетеней по адресу {url} больше {limit} МБ, намного больше честного; он не загружен. Откройте другую копию страницы или используйте пересчёт, который может провести любой и который сам проверяет каждый бюллетень.",
    "error.lookupTooLarge":
        "Чтобы найти ваш бюллетень, пришлось бы загрузить больше, чем позволяет страница (начиная со страницы {block} реестра): указатель бюллетеней устарел или кто-то разместил необычно много записей. Ваш бюллетень здесь не показан; попробуйте после обновления указателя или используйте пересчёт, который может провести любой и который сам проверяет каждый бюллетень.",
    "check.copies":
        "Внимание: ваш номер квитанции стоит ещё в {copies} записях (по данным указателя бюллетеней). Возможно, сервер приёма бюллетеней разместил копии вашего бюллетеня: засчитывается только один, а пересчёт, который может провести любой, сообщает о каждой копии. Сообщите наблюдателям выборов.",
}

export const REGISTER = { en, ru }
