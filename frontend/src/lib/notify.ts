import { notifications } from "@mantine/notifications";
import { errorMessage } from "../api/errors";

export function notifySuccess(message: string) {
  notifications.show({ color: "teal", message, autoClose: 3500 });
}

export function notifyError(error: unknown, title = "That didn't work") {
  notifications.show({ color: "red", title, message: errorMessage(error), autoClose: 8000 });
}
