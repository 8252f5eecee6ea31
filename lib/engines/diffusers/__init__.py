"""Parts of the local diffusion engine (:mod:`lib.engines.diffusers_engine`).

``locate`` finds the model and reads its shape without torch; ``pictures`` handles PNGs and masks
with Pillow alone; ``runtime`` is the only part that imports torch and diffusers, and only inside
its functions, so importing this package stays cheap and works where torch is not installed.
"""
