print("aso")
