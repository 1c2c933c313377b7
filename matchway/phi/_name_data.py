"""Word lists for name detection, written by hand for this project (no external data).

Kept as data so the rules in ``names.py`` stay readable; extend the lists, not the rules,
when journals show a missed name or a false alarm.
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Common given names in US patient populations. Only used to recognise a capitalised word
# as a name when no title or "patient ..." context is present.
FIRST_NAMES = _words(
    """
    Aaron Abdul Abigail Adam Adrian Ahmed Aisha Alan Albert Alejandro Alex Alexander Alexis
    Alice Alicia Allison Amanda Amina Amir Amy Ana Andre Andrea Andrew Angela Anita Ann Anna
    Anne Anthony Antonio Ashley Barbara Benjamin Betty Beverly Bobby Bogdan Brandon Brenda
    Brian Bruce Carl Carla Carlos Carmen Carolyn Catherine Charles Cheryl Christian
    Christina Christine Christopher Cindy Connor Cynthia Daniel Danielle David Deborah Debra
    Denise Dennis Diana Diane Diego Dmitri Dolores Donald Donna Doris Dorothy Douglas Edward
    Elena Elizabeth Ellen Emily Emma Eric Esther Ethan Evelyn Fatima Fernando Francisco
    Gabriel Gary George Gerald Gloria Gregory Hannah Harold Hassan Heather Helen Henry Hiroshi
    Howard Ibrahim Irene Isabel Isabella Jacob James Janet Janice Jason Javier Jeffrey
    Jennifer Jeremiah Jeremy Jerry Jesse Jessica Joan Joanne John Jonathan Jorge Jose José
    Joseph Joshua Joyce Juan Judith Judy Julia Julie Justin Karen Katherine Kathleen Kathy
    Keith Kelly Kenneth Kevin Kimberly Kyle Larry Laura Lauren Lawrence Leslie Linda Lisa
    Lois Lori Louis Luis Madison Manuel Margaret Maria María Marie Marilyn Martha Martin Mary
    Matthew Megan Melissa Michael Michelle Miguel Mohammed Muhammad Nancy Natalie Nathan
    Nicholas Nicole Noah Norma Olivia Omar Oscar Pamela Patricia Patrick Paul Peter Philip
    Phyllis Priya Rachel Rafael Ralph Randy Raymond Rebecca Richard Robert Roberto Roger
    Ronald Rosa Russell Ruth Ryan Samantha Samuel Sandra Sara Sarah Scott Sean Sergei Sharon
    Shirley Sofia Sophia Stephanie Stephen Steven Susan Teresa Theresa Thomas Timothy Tyler
    Vanessa Victor Victoria Vincent Virginia Walter Wanda Wayne William Xavier Yolanda Yusuf
    Zachary
    April Art Austin Bill Chase Dawn Faith Frank Grace Guy Hope Iris Ivy Jack Jackson Jordan
    Joy June Lincoln Mark May Pat Rose Ruby Sue Tom Will
    """
)

# Given names that are also ordinary words, months, places or eponyms: accept them only as
# the first half of "First Last", never alone ("Grace period", "Will do", "Austin Flint").
AMBIGUOUS_FIRST_NAMES = _words(
    """
    April Art Austin Bill Chase Dawn Faith Frank Grace Guy Hope Iris Ivy Jack Jackson Jordan
    Joy June Lincoln Madison Mark May Pat Rose Ruby Sue Tom Virginia Will Douglas Victoria
    Charles Carl Henry James John Louis Paul Peter George
    """
)

# Capitalised words that are never a name token: sentence openers, calendar words, hospital
# vocabulary. A candidate whose first token is here is dropped.
STOP_WORDS = _words(
    """
    A An And As At But By For From He Her His How I If In Into It Its My No Nor Not Of On
    Or Our She So That The Their Then There These They This Those To Today Tomorrow Tonight
    Up Upon We What When Where Which While Who Why With Without Yesterday You Your Yes After
    Before During Also Although Because Since Until Unless Once Every Each Both Either All
    Any Some Several Many Much More Most Other Another Such Only Just Still Even Please Thanks
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept
    Oct Nov Dec Christmas Easter Thanksgiving Halloween Ramadan Hanukkah Diwali New Year
    Call Code Blue Rapid Response Team Rounds Clinic Hospital Unit Room Bed Ward Floor ICU
    Emergency Department Medicine Surgery Internal Family Attending Resident Intern Student
    Nurse Nursing Pharmacy Radiology Cardiology Neurology Oncology Pediatrics Psychiatry
    Education Safety Care Health Center Centre General Memorial University Medical College
    School Program Service Services Step Level Board Boards Match Day Week Month Morning
    Evening Night Afternoon Presented Presents Reports Reported Denies Denied Was Is Has Had
    Will Would Could Should Can Cannot Did Does Do Got Gets Went Came Said Says Told Asked
    Zero One Two Three Four Five Six Seven Eight Nine Ten Note Notes Plan Assessment History
    Exam Labs Imaging Consult Consults Follow Admission Discharge Transfer Social Work
    Worker Case Manager Chaplain Interpreter Doe Unknown Anonymous Here Now Later Soon
    Admitted Discharged Seen Started Stopped Lives Lived Living Mr Mrs Ms Mx Miss Dr Prof
    Professor Rev Sir Madam
    """
)

# Words that turn a preceding capitalised name into an eponym ("Murphy sign", "Foley
# catheter", "Parkinson disease"); the name rules skip a match followed by one of these.
EPONYM_FOLLOWERS = _words(
    """
    disease diseases syndrome syndromes sign signs test tests scale scales score scores
    catheter catheters tube tubes reflex reflexes maneuver manoeuvre criteria palsy
    phenomenon triad procedure procedures operation fracture fractures lesion lesions node
    nodes spots murmur law classification stage equation formula index respiration
    respirations breathing drain drains needle forceps retractor space pouch ligament duct
    canal gland cell cells body bodies line lines method rule rules protocol technique
    approach incision position hernia ulcer lymphoma sarcoma tumor tumour disorder anomaly
    malformation deformity contracture cyst dementia encephalopathy thyroiditis purpura
    arteritis diverticulum curve plot coefficient exact wort point points tear tears
    repair shunt valve block blocks stain staining agar solution mask bag nerve area
    cycle effect ratio pill device pump fundoplication lobe
    """
)
