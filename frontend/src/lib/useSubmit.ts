import { useState, type FormEvent } from "react";
import { errorMessage } from "../api/errors";

export interface SubmitOptions<T> {
  /** Clear the form's own fields; runs on close and after a success. */
  reset: () => void;
  /** Hide the modal; runs on close and after a success. */
  onClose: () => void;
  /** Hand the result on; runs after a success, before `onClose`. */
  onDone: (result: T) => void;
}

export interface SubmitState {
  busy: boolean;
  error: string | null;
  /** Form submit handler: runs the action, then resets, reports and closes, or shows the error. */
  submit: (event?: FormEvent) => Promise<void>;
  /** Close handler: refuses while busy, otherwise resets the form and closes. */
  close: () => void;
}

/** The busy/error/close/submit logic every create modal shares. */
export function useSubmit<T>(
  action: () => Promise<T>,
  { reset, onClose, onDone }: SubmitOptions<T>,
): SubmitState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    if (busy) return;
    reset();
    setError(null);
    onClose();
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      setBusy(false);
      reset();
      onDone(result);
      onClose();
    } catch (reason) {
      setBusy(false);
      setError(errorMessage(reason));
    }
  };

  return { busy, error, submit, close };
}
