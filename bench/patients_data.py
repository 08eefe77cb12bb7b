"""Realistic Spanish patients for the search benchmark: names as often as Spain has them.

Surname and first-name weights follow the INE's counts (thousands of people, rounded):
García is ~3% of first surnames, the top 100 surnames cover about half of Spain, and the
rest is a long tail. The tail here is a few hundred real regional and foreign surnames plus
thousands of rare generated ones, so the vocabulary grows with the registry as it does in
life. Everything is drawn from one seeded ``random.Random``: runs are reproducible.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.es.dni import calc_check_digit

from clinic_patients.normalize import tokens

TOP_SURNAMES = {
    "García": 1449, "Rodríguez": 926, "González": 921, "Fernández": 899, "López": 867,
    "Martínez": 832, "Sánchez": 814, "Pérez": 768, "Gómez": 489, "Martín": 482,
    "Jiménez": 390, "Hernández": 353, "Ruiz": 348, "Díaz": 337, "Moreno": 314,
    "Muñoz": 295, "Álvarez": 291, "Romero": 232, "Gutiérrez": 224, "Alonso": 222,
    "Navarro": 202, "Torres": 198, "Domínguez": 193, "Vázquez": 175, "Ramos": 172,
    "Ramírez": 170, "Gil": 168, "Serrano": 166, "Morales": 158, "Molina": 158,
    "Blanco": 153, "Suárez": 152, "Castro": 150, "Ortega": 149, "Delgado": 149,
    "Ortiz": 148, "Marín": 147, "Rubio": 146, "Núñez": 138, "Medina": 133,
    "Sanz": 132, "Castillo": 132, "Iglesias": 131, "Cortés": 128, "Garrido": 127,
    "Santos": 124, "Guerrero": 120, "Lozano": 119, "Cano": 118, "Cruz": 116,
    "Méndez": 114, "Flores": 113, "Prieto": 111, "Herrera": 108, "Peña": 107,
    "León": 106, "Márquez": 104, "Cabrera": 102, "Gallego": 101, "Calvo": 100,
    "Vidal": 99, "Campos": 96, "Reyes": 94, "Vega": 92, "Fuentes": 92,
    "Carrasco": 90, "Diez": 89, "Aguilar": 88, "Caballero": 87, "Nieto": 87,
    "Santana": 86, "Vargas": 83, "Pascual": 82, "Giménez": 82, "Herrero": 81,
    "Hidalgo": 80, "Montero": 80, "Lorenzo": 79, "Santiago": 77, "Benítez": 75,
    "Durán": 74, "Ibáñez": 73, "Arias": 73, "Mora": 72, "Ferrer": 72,
    "Carmona": 71, "Vicente": 70, "Rojas": 68, "Soto": 68, "Crespo": 67,
    "Román": 67, "Pastor": 66, "Velasco": 65, "Parra": 64, "Sáez": 64,
    "Moya": 63, "Bravo": 62, "Rivera": 61, "Gallardo": 61, "Soler": 59,
}  # fmt: skip


def _words(text: str) -> list[str]:
    return text.split()


# Real surnames past the top 100 (regional, and common among foreign residents).
MORE_SURNAMES = _words(
    "Esteban Pardo Mendoza Sáenz Rivas Lara Franco Luque Benito Bermúdez Márquez Trujillo "
    "Roldán Montes Cuesta Plaza Miranda Ballesteros Palomo Salazar Escudero Rey Aranda "
    "Cabello Robles Sierra Mateo Villar Marcos Redondo Valero Beltrán Casado Martos Bueno "
    "Maldonado Varela Quintana Corral Vera Ríos Barroso Moral Cordero Toledo Andrés Pozo "
    "Zamora Bernal Manzano Méndez Oliva Salas Puig Roca Vila Font Serra Pujol Riera Sala "
    "Costa Casas Batlle Mas Planas Camps Ribas Bosch Soler Vives Sabater Estévez Otero Fraga "
    "Lema Rey Souto Pazos Seoane Iglesias Barreiro Castiñeira Varela Louro Pereira Rial Lago "
    "Etxeberria Goikoetxea Agirre Aguirre Zubizarreta Arrieta Urrutia Bilbao Ibarra "
    "Olabarrieta Elorza Larrañaga Zabala Mendizábal Uriarte Azkona Arana Echevarría "
    "Iturralde Goñi Lasa Zubiri Ochoa Arregui Popescu Ionescu Popa Stan Dumitru Smith Jones "
    "Brown Wilson Taylor Müller Schmidt Rossi Russo Bianchi Ferrari Silva Santos Oliveira "
    "Pereira Costa Wang Li Zhang Chen Liu Amrani Benali Bouzid Haddad Alaoui Tazi Idrissi "
    "Bennani Ortuño Quesada Quiroga Quintero Quirós Cid Uribe Yáñez Zapata Zurita Ybarra "
    "Xirau Xavier Yagüe Valderrama Villanueva"
)

FEMALE_NAMES = {
    "María Carmen": 634, "María": 624, "Carmen": 379, "Ana María": 294, "Laura": 274,
    "María Pilar": 232, "María Dolores": 228, "Isabel": 225, "Josefa": 220, "Ana": 222,
    "María Teresa": 213, "Lucía": 205, "Marta": 195, "Cristina": 194, "María Ángeles": 189,
    "Francisca": 186, "Antonia": 185, "Dolores": 176, "María Isabel": 175, "María José": 173,
    "Elena": 168, "Sara": 166, "Paula": 165, "Raquel": 152, "Manuela": 148, "Pilar": 145,
    "Rosa María": 142, "Concepción": 140, "María Luisa": 133, "Mercedes": 130, "Rosario": 127,
    "Beatriz": 125, "Juana": 122, "Teresa": 120, "Nuria": 117, "Silvia": 115, "Irene": 113,
    "Julia": 111, "Alba": 110, "Patricia": 108, "Montserrat": 105, "Andrea": 104,
    "Rocío": 103, "Mónica": 101, "Rosa": 100, "Alicia": 95, "Sonia": 94, "Sandra": 93,
    "Marina": 90, "Encarnación": 88, "Ángela": 87, "Susana": 86, "Natalia": 85, "Yolanda": 84,
    "Margarita": 80, "Eva": 79, "Inmaculada": 78, "Claudia": 77, "Sofía": 75, "Noelia": 70,
    "Esther": 69, "Carla": 68, "Verónica": 66, "Nerea": 60, "Ainhoa": 45, "Núria": 40,
    "Montse": 30, "Aitana": 30, "Lorena": 55, "Miriam": 50, "Fátima": 35, "Ximena": 8,
    "Xiomara": 4, "Yaiza": 12, "Iratxe": 10, "Uxue": 6, "Zuriñe": 4, "Ioana": 6, "Mei": 4,
}  # fmt: skip
MALE_NAMES = {
    "Antonio": 665, "Manuel": 600, "José": 583, "Francisco": 521, "David": 378, "Juan": 362,
    "Javier": 337, "José Antonio": 335, "Daniel": 318, "José Luis": 303,
    "Francisco Javier": 286, "Carlos": 270, "Jesús": 258, "Alejandro": 257, "Miguel": 238,
    "José Manuel": 237, "Rafael": 220, "Miguel Ángel": 218, "Pedro": 207, "Pablo": 205,
    "Ángel": 195, "Sergio": 192, "José María": 190, "Fernando": 185, "Jorge": 183,
    "Luis": 178, "Alberto": 176, "Juan Carlos": 162, "Álvaro": 160, "Adrián": 158,
    "Juan José": 155, "Diego": 150, "Raúl": 145, "Enrique": 140, "Juan Antonio": 138,
    "Ramón": 135, "Vicente": 130, "Iván": 128, "Rubén": 126, "Óscar": 124, "Andrés": 120,
    "Joaquín": 115, "Santiago": 110, "Eduardo": 108, "Víctor": 106, "Roberto": 104,
    "Jaime": 100, "Mario": 98, "Ignacio": 96, "Alfonso": 94, "Salvador": 92, "Ricardo": 90,
    "Marcos": 88, "Jordi": 86, "Emilio": 84, "Julián": 80, "Julio": 78, "Guillermo": 76,
    "Gabriel": 74, "Tomás": 72, "Agustín": 70, "Marc": 68, "Gonzalo": 66, "Félix": 64,
    "Hugo": 62, "Joan": 60, "Mohamed": 58, "Ismael": 56, "Nicolás": 54, "Iker": 40,
    "Aitor": 45, "Xavier": 30, "Xabier": 20, "Unai": 25, "Gorka": 15, "Íñigo": 20,
    "Mihai": 8, "Wei": 4, "Youssef": 10, "Kevin": 20,
}  # fmt: skip

_SYLLABLES = _words(
    "ar be ca da el fe ga go ir la lo ma mi na ne or pa ra re ri ro sa se ta to ur va za zu"
)
_ENDINGS = _words("ez es as os ia ero illa edo ondo aga eta ola uri ain ez ano ada")
TAIL_SURNAMES = 5000
TAIL_SHARE = 0.18  # of surname draws: one patient in ~3 has a rare surname
MORE_SHARE = 0.30
EMAIL_DOMAINS = ("gmail.com", "hotmail.com", "yahoo.es", "outlook.es", "telefonica.net")


class SpanishNames:
    """Weighted draws of Spanish names (and unique documents) from one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tail = sorted({self._rare_surname() for _ in range(TAIL_SURNAMES)})
        self.tax_ids: set[str] = set()

    @classmethod
    def seeded(cls, seed: int = 2026) -> SpanishNames:
        """A reproducible generator."""
        return cls(random.Random(seed))

    def tax_id(self) -> str | None:
        """A DNI (88%), a NIE (8%) or none, never one handed out before."""
        roll = self.rng.random()
        if roll >= 0.96:
            return None
        while True:
            value = dni(self.rng) if roll < 0.88 else nie(self.rng)
            if value not in self.tax_ids:
                self.tax_ids.add(value)
                return value

    def _rare_surname(self) -> str:
        parts = [self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(1, 3))]
        return ("".join(parts) + self.rng.choice(_ENDINGS)).capitalize()

    def surname(self) -> str:
        """One surname, as often as in Spain."""
        roll = self.rng.random()
        if roll < TAIL_SHARE:
            return self.rng.choice(self.tail)
        if roll < TAIL_SHARE + MORE_SHARE:
            return self.rng.choice(MORE_SURNAMES)
        return self.rng.choices(list(TOP_SURNAMES), weights=list(TOP_SURNAMES.values()))[0]

    def first_name(self, sex: str) -> str:
        """One first name (often compound) for ``sex``."""
        names = FEMALE_NAMES if sex == "female" else MALE_NAMES
        return self.rng.choices(list(names), weights=list(names.values()))[0]

    def typo(self, word: str) -> str:
        """``word`` with one realistic slip: a sound-alike letter, or a dropped/swapped one."""
        swaps = {"z": "s", "c": "s", "s": "z", "v": "b", "b": "v", "j": "g", "g": "j", "y": "ll"}
        lower = word.lower()
        spots = [i for i, char in enumerate(lower) if char in swaps]
        roll = self.rng.random()
        if spots and roll < 0.6:
            i = self.rng.choice(spots)
            return lower[:i] + swaps[lower[i]] + lower[i + 1 :]
        i = self.rng.randrange(1, len(lower) - 1)
        if roll < 0.8:
            return lower[:i] + lower[i + 1 :]
        return lower[: i - 1] + lower[i] + lower[i - 1] + lower[i + 1 :]


def check_letter(number: int) -> str:
    """The DNI check letter of ``number`` (a NIE's is its DNI-like number's), as python-stdnum
    computes it for ``clinic_shared.tax_ids``."""
    return str(calc_check_digit(f"{number:08d}"))


def dni(rng: random.Random) -> str:
    """A valid DNI."""
    number = rng.randrange(1_000_000, 99_999_999)
    return f"{number:08d}{check_letter(number)}"


def nie(rng: random.Random) -> str:
    """A valid NIE."""
    prefix = rng.choice("XYZ")
    number = rng.randrange(0, 9_999_999)
    return f"{prefix}{number:07d}{check_letter(int('XYZ'.index(prefix)) * 10_000_000 + number)}"


def patient(names: SpanishNames, today: date) -> dict[str, object]:
    """One patient's fields as a PatientCreate body would carry them."""
    rng = names.rng
    sex = "female" if rng.random() < 0.54 else "male"
    first = names.first_name(sex)
    last = f"{names.surname()} {names.surname()}"
    tax_id = names.tax_id()
    email = None
    if rng.random() < 0.6:
        local = f"{tokens(first)[0]}.{tokens(last)[0]}{rng.randrange(100)}"
        email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
    return {
        "firstName": first,
        "lastName": last,
        "sex": sex,
        "taxId": tax_id,
        "birthDate": (today - timedelta(days=rng.randrange(365 * 2, 365 * 92))).isoformat(),
        "phone": f"+34 6{rng.randrange(10, 99)} {rng.randrange(100, 999)} "
        f"{rng.randrange(100, 999)}",
        "email": email,
        "status": "active" if rng.random() < 0.9 else "inactive",
    }
