import type { Strings } from "./en.ts";

const plural = (count: number, one: string, few: string, many: string) => {
  const rule = new Intl.PluralRules("ru").select(count);
  return `${count} ${rule === "one" ? one : rule === "few" ? few : many}`;
};

/** Russian. */
const ru: Strings = {
  dir: "ltr",
  openChat: "Открыть чат",
  closeChat: "Закрыть чат",
  unread: (count) =>
    plural(count, "непрочитанное сообщение", "непрочитанных сообщения", "непрочитанных сообщений"),
  title: "Напишите нам",
  greeting: "Здравствуйте! Чем можем помочь?",
  online: "Мы на связи",
  away: "Ответим, как только сможем",
  messages: "Сообщения",
  you: "Вы",
  typing: (name) => `${name} печатает…`,
  composer: "Ваше сообщение",
  placeholder: "Напишите сообщение…",
  send: "Отправить",
  emoji: "Вставить эмодзи",
  emojiList: "Эмодзи",
  attach: "Прикрепить файл",
  mute: "Выключить звук",
  minimize: "Свернуть чат",
  sending: "Отправляется",
  delivered: "Доставлено",
  read: "Прочитано",
  notSent: "Не отправлено",
  file: "Файл",
  uploading: (name) => `Загружается ${name}`,
  fileTooBig: (name) => `${name} больше 10 МБ, его нельзя отправить.`,
  uploadFailed: (name, reason) => `Не удалось отправить ${name}: ${reason}`,
  dismiss: "Скрыть",
  name: "Имя",
  email: "Эл. почта",
  phone: "Телефон",
  message: "Сообщение",
  optional: "необязательно",
  required: "Заполните это поле.",
  badEmail: "Введите правильный адрес почты.",
  prechatIntro: "Прежде чем начать, расскажите немного о себе.",
  startChat: "Начать чат",
  offlineIntro: "Сейчас никого нет на месте. Оставьте сообщение, и мы ответим по почте.",
  missedIntro: "Простите, что не успели ответить. Оставьте сообщение, и мы ответим по почте.",
  sendOffline: "Отправить",
  offlineSent: "Спасибо! Сообщение отправлено. Мы ответим по почте.",
  offlineFailed: "Не удалось отправить сообщение. Проверьте поля и попробуйте ещё раз.",
  team: "Наша команда",
  invitationFrom: (name) => `Сообщение от ${name}`,
  reply: "Ответить",
  pointerShow: "Показать",
  pointerTitle: "На что указывает оператор",
  pointerDismiss: "Понятно",
  pointerOtherPage: "Это на другой странице:",
  pointerGone: "Того, на что указал оператор, на этой странице больше нет.",
};
export default ru;
