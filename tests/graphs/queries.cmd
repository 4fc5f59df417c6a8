graph query --graph shop.omen ancestors db
graph query --graph shop.omen descendants checkout
graph query --graph shop.omen paths frontend db
graph query --graph shop.omen dsep frontend db checkout
graph query --graph shop.omen topo
graph export --graph shop.omen --to json
