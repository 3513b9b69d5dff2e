"""The program's web app: the chat page, the privacy policy and the chat API in front of Rasa."""
