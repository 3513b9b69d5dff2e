"""The program's web app: the chat page, the privacy policy, the chat API in front of Rasa and
the advisor workspace."""
