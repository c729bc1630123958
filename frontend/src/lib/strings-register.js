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
}

export const REGISTER = { en, ru }
