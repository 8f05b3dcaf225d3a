import { ActionIcon, Group, Tooltip } from "@mantine/core";
import { IconThumbDown, IconThumbDownFilled, IconThumbUp, IconThumbUpFilled } from "@tabler/icons-react";
import { useState } from "react";
import type { FeedbackRating } from "../api/client";
import { useRateAnswerMutation } from "../api/feedback";
import { notifyError } from "../lib/notify";

/** Thumbs up and down on an answer; a second click on the other thumb changes the rating. */
export function FeedbackButtons({
  workspaceId,
  conversationId,
  messageId,
  initialRating = null,
}: {
  workspaceId: number;
  conversationId: number;
  messageId: number;
  /** The reader's saved rating (the conversation returns each answer's own feedback). */
  initialRating?: FeedbackRating | null;
}) {
  const [rating, setRating] = useState<FeedbackRating | null>(initialRating);
  const { mutateAsync: send, isPending: busy } = useRateAnswerMutation({ workspaceId, conversationId, messageId });

  const rate = async (next: FeedbackRating) => {
    if (busy || rating === next) return;
    const before = rating;
    setRating(next);
    try {
      await send(next);
    } catch (error) {
      setRating(before);
      notifyError(error, "Could not save your feedback");
    }
  };

  return (
    <Group gap={2} role="group" aria-label="Rate this answer">
      <Tooltip label={rating === "up" ? "You found this helpful" : "Helpful"}>
        <ActionIcon
          variant="subtle"
          color={rating === "up" ? "teal" : "gray"}
          size="sm"
          aria-label="Helpful"
          aria-pressed={rating === "up"}
          onClick={() => void rate("up")}
        >
          {rating === "up" ? <IconThumbUpFilled size={15} /> : <IconThumbUp size={15} />}
        </ActionIcon>
      </Tooltip>
      <Tooltip label={rating === "down" ? "You found this unhelpful" : "Not helpful"}>
        <ActionIcon
          variant="subtle"
          color={rating === "down" ? "red" : "gray"}
          size="sm"
          aria-label="Not helpful"
          aria-pressed={rating === "down"}
          onClick={() => void rate("down")}
        >
          {rating === "down" ? <IconThumbDownFilled size={15} /> : <IconThumbDown size={15} />}
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
