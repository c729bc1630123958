// The words about the voter key and its backup, in Russian and English.

const en = {
    "identity.storage.kept": "Your key is kept in this browser.",
    "identity.storage.tab-backed-up": "Your key is kept only until this tab is closed. You have a backup to bring it back.",
    "identity.storage.tab-only":
        "Your key exists only in this tab. Make a backup now (below): if this tab closes without one, the key is lost and you cannot vote with it.",
    "identity.backup.heading": "Backup",
    "identity.backup.warning":
        "Print the sheet, or write down the 24 words, and keep them secret. Whoever has them can vote in your place; without them you cannot vote from another device.",
    "identity.backup.print": "Print a backup sheet",
    "identity.backup.show": "Show my 24 words",
    "identity.backup.hide": "Hide my 24 words",
    "identity.backup.download": "Save the backup as a file",
    "identity.backup.words": "Write these words down in order. The first four letters of each are enough to bring the key back.",
    "identity.backup.label": "The key as text",
    "identity.restore.heading": "Bring back a key from its backup",
    "identity.restore.label": "Your 24 words (Russian or English), or the key as text",
    "identity.restore.scan": "Scan the QR code of my backup sheet",
    "identity.restore.file": "…or open a backup file",
    "identity.restore.button": "Bring back my key",
    "identity.forget": "Remove the key from this device",
    "identity.forget.question":
        "Remove the key from this device? Without a backup you will not be able to vote. This cannot be undone.",
    "identity.forget.yes": "Yes, remove the key",
    "identity.forget.no": "No, keep it",
    "error.badBackup": "This is not a Veche key backup: type your 24 words, or the key as text.",
    "error.badWord": "Word {number} (\"{word}\") is not in the backup's word list. Check its spelling.",
    "error.wordCount": "A backup has 24 words; you typed {count}.",
    "error.badWords": "These words are not a backup: one of them is wrong or out of order. Check them against your sheet.",
    "replaced.title": "This voter key can no longer vote.",
    "replaced.body": "On {time}, in {district}, the register took a new key in place of this one, with the approval of {count} registrars.",
    "replaced.action": "If you asked for this because you had lost this key, use your new key. If you did not, someone may have used your documents to take your vote: tell the election's organizer and observers today, while registration is still open.",
    "replaced.expert": "MemberReplaced: leaf {index}, new commitment {newCommitment}, approved by {approvers}.",
}

const ru = {
    "identity.storage.kept": "Ключ хранится в этом браузере.",
    "identity.storage.tab-backed-up": "Ключ хранится только до закрытия вкладки. У вас есть резервная копия, чтобы его вернуть.",
    "identity.storage.tab-only":
        "Ключ есть только в этой вкладке. Сделайте резервную копию сейчас (ниже): если вкладка закроется без неё, ключ пропадёт и голосовать им будет нельзя.",
    "identity.backup.heading": "Резервная копия",
    "identity.backup.warning":
        "Распечатайте лист или запишите 24 слова и храните их в тайне. Кто их знает, может проголосовать за вас; без них нельзя голосовать с другого устройства.",
    "identity.backup.print": "Распечатать лист с резервной копией",
    "identity.backup.show": "Показать мои 24 слова",
    "identity.backup.hide": "Скрыть мои 24 слова",
    "identity.backup.download": "Сохранить резервную копию в файл",
    "identity.backup.words": "Запишите эти слова по порядку. Чтобы вернуть ключ, достаточно первых четырёх букв каждого.",
    "identity.backup.label": "Ключ в виде текста",
    "identity.restore.heading": "Вернуть ключ из резервной копии",
    "identity.restore.label": "Ваши 24 слова (русские или английские) или ключ в виде текста",
    "identity.restore.scan": "Отсканировать QR-код с листа резервной копии",
    "identity.restore.file": "…или откройте файл резервной копии",
    "identity.restore.button": "Вернуть ключ",
    "identity.forget": "Удалить ключ с этого устройства",
    "identity.forget.question":
        "Удалить ключ с этого устройства? Без резервной копии вы не сможете проголосовать. Отменить это нельзя.",
    "identity.forget.yes": "Да, удалить ключ",
    "identity.forget.no": "Нет, оставить",
    "error.badBackup": "Это не резервная копия ключа Вече: введите ваши 24 слова или ключ в виде текста.",
    "error.badWord": "Слова {number} («{word}») нет в списке слов резервной копии. Проверьте, как оно написано.",
    "error.wordCount": "В резервной копии 24 слова, а введено {count}.",
    "error.badWords": "Эти слова — не резервная копия: одно из них неверно или стоит не на своём месте. Сверьте с листом.",
    "replaced.title": "Этим ключом избирателя больше нельзя голосовать.",
    "replaced.body": "{time} в округе {district} в список избирателей внесли новый ключ вместо этого, с согласия регистраторов: {count}.",
    "replaced.action": "Если вы сами просили об этом, потому что потеряли этот ключ, голосуйте новым. Если нет, кто-то мог воспользоваться вашими документами, чтобы забрать ваш голос: сообщите организаторам и наблюдателям сегодня, пока регистрация ещё открыта.",
    "replaced.expert": "MemberReplaced: лист {index}, новое обязательство {newCommitment}, одобрили {approvers}.",
}

export const KEY = { en, ru }
