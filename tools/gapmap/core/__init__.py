"""What every stage shares: findings and their code registry, the map walk, safe writes, settings.

Nothing here imports a stage; every stage may import from here.
"""
