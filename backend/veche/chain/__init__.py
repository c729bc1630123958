"""Chain access: compiling, deploying and talking to Veche's contracts on an EVM chain."""
