"""SpeechSynthesizer adapters: OpenAI text-to-speech."""
