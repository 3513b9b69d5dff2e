"""Learning from conversations: the messages the assistant missed, masked and grouped for the
team, labelled into training examples under four eyes."""
